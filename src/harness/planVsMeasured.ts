/**
 * Planned vs measured for e2e/plan-vs-measured.spec.ts: the tiny preset's training step, planned
 * in the page (src/engine/plan) and measured through the worker on WebGPU.
 */
import type { RetentionName, StrategyName } from '../engine/vocabulary';
import { PRESETS } from '../engine/models/spec';
import { planSpec } from '../engine/plan/toReport';
import { stepRequest } from '../engine/profile/stepRequest';
import type { MeasureRequest, MeasureResult } from '../engine/runtime/types';

export interface PlanVsMeasured {
  planned: number;
  measured: number;
  /** Executed node order, planned and measured (graph node names). */
  plannedOrder: string[];
  measuredOrder: string[];
}

export async function planVsMeasured(
  strategy: StrategyName,
  retention: RetentionName,
  batch: number,
  measure: (req: MeasureRequest) => Promise<MeasureResult>,
): Promise<PlanVsMeasured> {
  const spec = {
    model: PRESETS.tiny,
    strategy,
    retention,
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  } as const;
  const { plan } = planSpec(spec, 'lazy');
  const planned = plan.at(batch);
  const measured = await measure(stepRequest(spec, batch).request);
  return {
    planned: planned.peakBytes,
    measured: measured.peakLiveBytes,
    plannedOrder: planned.ops.map((o) => o.node).filter((n) => n !== 'input'),
    measuredOrder: measured.ops.map((o) => o.node).filter((n) => n !== 'input'),
  };
}
