/**
 * Whole training steps of the tiny preset for e2e/training-webgpu.spec.ts: one strategy x
 * retention through the measuring worker on WebGPU (CPU fallback disabled).
 */
import { type BuildSpec, PRESETS } from '../engine/models/spec';
import { isGradName, type RetentionName, type StrategyName } from '../engine/vocabulary';
import { stepRequest } from '../engine/profile/stepRequest';
import type { MeasureRequest, MeasureResult } from '../engine/runtime/types';

export interface StepSummary {
  loss: number;
  /** A few gradient values, to compare combinations. */
  gradSample: Record<string, number[]>;
  peakLiveBytes: number;
  peakReservedBytes: number;
  unattributedBytes: number;
  opTypes: string[];
  phases: string[];
  notes: string[];
}

export async function runTrainingStep(
  strategy: StrategyName,
  retention: RetentionName,
  batch: number,
  measure: (req: MeasureRequest) => Promise<MeasureResult>,
): Promise<StepSummary> {
  // chunk 8 of seq 16: chunked attention really splits the queries.
  const spec: BuildSpec = {
    model: PRESETS.tiny,
    strategy,
    retention,
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  };
  const { request } = stepRequest(spec, batch);
  const r = await measure(request);
  const gradSample = Object.fromEntries(
    Object.entries(r.outputs)
      .filter(([k]) => isGradName(k))
      .map(([k, v]) => [k, Array.from(v.slice(0, 4))]),
  );
  return {
    loss: r.outputs['loss']![0]!,
    gradSample,
    peakLiveBytes: r.peakLiveBytes,
    peakReservedBytes: r.peakReservedBytes,
    unattributedBytes: r.unattributedBytes,
    opTypes: [...new Set(r.ops.map((o) => o.opType))],
    phases: [...new Set(r.ops.map((o) => o.phase))],
    notes: r.notes,
  };
}
