/**
 * One point of a sweep, measured: build the attention layer's training step for a strategy,
 * serialise it at the point's batch, run it through a measured-step runtime and fill a report
 * Point. Never throws: a failure comes back as the point's error, so a sweep keeps going.
 */
import { validateAttentionConfig, type AttentionConfig } from '../models/config';
import { DEFAULT_CHUNK } from '../models/spec';
import type { Point, Retention, Strategy } from '../report/schema';
import type { CacheMode, MeasureRequest, MeasureResult } from '../runtime/types';
import { stepRequest } from './stepRequest';

export interface PointRequest {
  config: AttentionConfig;
  strategy: Strategy;
  batch: number;
  /** Default `minimal`. */
  retention?: Retention;
  /** Query rows per chunk of the `chunked` strategy; default 64. */
  chunk?: number;
}

export type MeasureStepFn = (req: MeasureRequest) => Promise<MeasureResult>;

function failed(req: PointRequest, code: string, message: string): Point {
  return {
    strategy: req.strategy,
    retention: req.retention ?? 'minimal',
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
    const { request } = stepRequest(
      {
        model: { ...req.config, vocab: 1, layers: 1, mlpRatio: 4, activation: 'relu', attentionOnly: true },
        strategy: req.strategy,
        retention: req.retention ?? 'minimal',
        chunk: req.chunk ?? DEFAULT_CHUNK,
        dtype: 'f32',
      },
      req.batch,
      cacheMode,
    );
    const r = await measureStep(request);
    const loss = r.outputs['loss']?.[0];
    if (loss === undefined || !Number.isFinite(loss))
      throw new Error(`the step returned no finite loss (${loss})`);
    return {
      strategy: req.strategy,
      retention: req.retention ?? 'minimal',
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
