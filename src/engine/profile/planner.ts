/**
 * The planner's view of sweep points: for runSweep (skips over the device's buffer limits or the
 * budget, and each point's `predicted`) and the report's `maxBatch`. One plan per build spec,
 * evaluated at every batch.
 */
import type { BuildSpec } from '../models/spec';
import type { Allocator, DeviceLimits } from '../vocabulary';
import type { GraphPlan } from '../plan/plan';
import { maxBatchEntry, planSpec, predicted } from '../plan/toReport';
import type { MaxBatch } from '../report/report';
import type { PlanCheck, SweepPoint } from './sweep';

export interface SweepPlanner {
  check(point: SweepPoint): PlanCheck;
  /** One entry per distinct strategy x retention among `points`. */
  maxBatch(points: readonly SweepPoint[], budgetBytes: number, limits: DeviceLimits): MaxBatch[];
}

export function sweepPlanner(allocator: Allocator): SweepPlanner {
  const plans = new Map<string, GraphPlan>();
  const planOf = (spec: BuildSpec) => {
    const key = JSON.stringify(spec);
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = planSpec(spec, allocator).plan));
    return plan;
  };
  return {
    check: ({ spec, batch }) => {
      const plan = planOf(spec);
      return {
        predicted: predicted(plan, batch),
        peakBytes: plan.peakBytes(batch),
        largestTensorBytes: plan.largestBufferBytes(batch),
      };
    },
    maxBatch: (points, budgetBytes, limits) => {
      const seen = new Set<string>();
      return points.flatMap(({ spec }) => {
        const key = JSON.stringify(spec);
        if (seen.has(key)) return [];
        seen.add(key);
        return [maxBatchEntry(planOf(spec), spec.strategy, spec.retention, budgetBytes, limits)];
      });
    },
  };
}
