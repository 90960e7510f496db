/**
 * One point of a sweep, measured: build the attention layer's training step for a strategy,
 * serialise it at the point's batch, run it through a measured-step runtime and fill a report
 * Point. Never throws: a failure comes back as the point's error, so a sweep keeps going.
 */
import { numel, resolveShape } from '../graph/shape';
import { buildAttentionStep } from '../models/attention';
import { validateAttentionConfig, type AttentionConfig } from '../models/config';
import { initParams, randomInputs } from '../models/init';
import { toOnnxBytes } from '../onnx/serialize';
import type { Point, Strategy } from '../report/schema';
import type { CacheMode, Feed, MeasureRequest, MeasureResult } from '../runtime/types';

export interface PointRequest {
  config: AttentionConfig;
  strategy: Strategy;
  batch: number;
}

export type MeasureStepFn = (req: MeasureRequest) => Promise<MeasureResult>;

function failed(req: PointRequest, code: string, message: string): Point {
  return {
    strategy: req.strategy,
    retention: 'minimal',
    batch: req.batch,
    predicted: null,
    measured: null,
    error: { code, message },
  };
}

/** The code of a runtime error ("session: ..." -> "session"), else "run". */
function codeOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'run';
}

export async function measurePoint(
  req: PointRequest,
  measureStep: MeasureStepFn,
  cacheMode: CacheMode = 'lazyRelease',
): Promise<Point> {
  const invalid = validateAttentionConfig(req.config, [req.batch]);
  if (invalid.length) return failed(req, 'invalid-config', invalid.map((e) => e.message).join('; '));
  try {
    const g = buildAttentionStep(req.config, req.strategy);
    const model = toOnnxBytes(g, { batch: req.batch, paramValues: initParams(g) });
    const inputs = randomInputs(g, req.batch);
    const feeds: Record<string, Feed> = {};
    for (const name of g.inputs) {
      const shape = g.info(name).shape;
      const data = Float32Array.from(inputs.get(name)!);
      if (data.length !== numel(shape, req.batch)) throw new Error(`input ${name} has the wrong size`);
      feeds[name] = { type: 'float32', dims: resolveShape(shape, req.batch), data };
    }
    const nodes = g.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      phase: n.phase,
      scope: n.scope,
      outputs: [...n.outputs],
    }));
    const r = await measureStep({ model, feeds, nodes, cacheMode });
    const loss = r.outputs['loss']?.[0];
    if (loss === undefined || !Number.isFinite(loss))
      throw new Error(`the step returned no finite loss (${loss})`);
    return {
      strategy: req.strategy,
      retention: 'minimal',
      batch: req.batch,
      predicted: null,
      measured: {
        peakLiveBytes: r.peakLiveBytes,
        peakReservedBytes: r.peakReservedBytes,
        unattributedBytes: r.unattributedBytes,
        stepMs: r.stepMs,
        loss,
        ops: r.ops,
      },
      error: null,
    };
  } catch (e) {
    return failed(req, codeOf(e), e instanceof Error ? e.message : String(e));
  }
}
