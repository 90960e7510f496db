/** The plan as the report carries it: a point's `predicted` and the `maxBatch` entries (docs/report-format.md). */
import type { Graph } from '../graph/graph';
import { buildTrainingSteps } from '../models/build';
import { computeDType, type BuildSpec } from '../models/spec';
import type { Allocator, DeviceLimits, MaxBatchLimit, RetentionName, StrategyName } from '../vocabulary';
import { predictedSchema, type Predicted } from '../report/schema';
import { parseWith } from '../report/validation';
import { maxBatch } from './maxBatch';
import { planMicroSteps, type FloorModel, type GraphPlan } from './plan';

/** A point's `predicted`: peak, node at the peak, floor, breakdowns at the peak, every op. */
export function predicted(plan: GraphPlan, batch: number): Predicted {
  const p = plan.at(batch);
  return parseWith(
    predictedSchema,
    {
      peakBytes: p.peakBytes,
      peakNode: p.peakNode,
      floorBytes: p.floorBytes ?? 0,
      byCategory: p.byCategory,
      byScope: p.byScope,
      ops: p.ops,
    },
    `the plan at batch ${batch} breaks the report schema`,
  );
}

/** What the floor of a build spec's plan needs: its model's dimensions and activations' dtype. */
export function floorModelOf(spec: BuildSpec): FloorModel {
  const { seq, embd, layers, attentionOnly } = spec.model;
  return { seq, embd, layers, attentionOnly, dtype: computeDType(spec.dtype) };
}

/**
 * The plan of a build spec: builds the graphs of its step (one, or two with micro-batches) and
 * their liveness, with the spec's floor. `graph` is the last micro-step's (the optimizer's).
 */
export function planSpec(spec: BuildSpec, allocator: Allocator): { graph: Graph; plan: GraphPlan } {
  const graphs = buildTrainingSteps(spec);
  return { graph: graphs.at(-1)!, plan: planMicroSteps(graphs, { allocator, floor: floorModelOf(spec) }) };
}

/** One entry of the report's `maxBatch` list. */
export interface MaxBatchEntry {
  strategy: StrategyName;
  retention: RetentionName;
  budgetBytes: number;
  batch: number;
  limitedBy: MaxBatchLimit;
}

export function maxBatchEntry(
  plan: GraphPlan,
  strategy: StrategyName,
  retention: RetentionName,
  budgetBytes: number,
  limits?: DeviceLimits,
): MaxBatchEntry {
  const m = maxBatch(plan, budgetBytes, limits);
  return { strategy, retention, budgetBytes, batch: m.batch, limitedBy: m.limitedBy };
}
