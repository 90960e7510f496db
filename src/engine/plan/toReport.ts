/** The plan as the report carries it: a point's `predicted` and the `maxBatch` entries (docs/report-format.md). */
import type { Graph } from '../graph/graph';
import { buildTrainingGraph } from '../models/build';
import type { BuildSpec } from '../models/spec';
import type { Allocator, DeviceLimits, MaxBatchLimit, RetentionName, StrategyName } from '../vocabulary';
import { predictedSchema, type Predicted } from '../report/schema';
import { parseWith } from '../report/validation';
import { maxBatch } from './maxBatch';
import { planGraph, type GraphPlan } from './plan';

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

/** The plan of a build spec: builds the training graph and its liveness, with the spec's floor. */
export function planSpec(spec: BuildSpec, allocator: Allocator): { graph: Graph; plan: GraphPlan } {
  const graph = buildTrainingGraph(spec);
  return { graph, plan: planGraph(graph, { allocator, floor: spec.model }) };
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
