/**
 * One step at one batch, op by op, for the page's timeline: every node with the bytes live while
 * it runs (its own allocations included), per category, and the tensors live at the peak, largest
 * first, each with the op type of the node that wrote it.
 */
import type { GraphPlan } from '../plan/plan';
import { CATEGORIES, type Category } from '../vocabulary';
import type { PeakTensor, StepDetail, StepRequest, TimelineRow } from './types';

/**
 * opType of a tensor no node writes: a parameter or constant uploaded at session creation
 * (graph inputs are written by step 0, "input", of opType 'Input').
 */
export const NO_OP_TYPE = '—';

const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));

/**
 * Live bytes during every step at `batch`, per category (CATEGORIES order): resident buffers
 * throughout, every other buffer from the step that allocates it to the last step it lives in.
 */
export function liveByStep(plan: GraphPlan, batch: number): number[][] {
  const { buffers, steps, resident } = plan.liveness;
  const sizes = plan.bufferSizes(batch);
  const live = new Array<number>(CATEGORIES.length).fill(0);
  const add = (id: number, sign: number) => {
    const c = CATEGORY_INDEX.get(buffers[id]!.category)!;
    live[c]! += sign * sizes[id]!;
  };
  for (const id of resident) add(id, 1);
  return steps.map((s) => {
    for (const id of s.allocs) add(id, 1);
    const during = [...live];
    for (const id of s.frees) add(id, -1);
    return during;
  });
}

/** The step of `req.combo` at `req.batch` under `plan` (the plan of that combination). */
export function stepDetail(plan: GraphPlan, req: StepRequest): StepDetail {
  const { batch } = req;
  const at = plan.at(batch);
  const live = liveByStep(plan, batch);
  const timeline = at.ops.map((op, step): TimelineRow => {
    const liveByCategory = live[step]!;
    return { ...op, step, liveByCategory, liveBytes: liveByCategory.reduce((a, b) => a + b, 0) };
  });
  const opTypeOf = new Map(plan.liveness.steps.map((s) => [s.name, s.opType]));
  const atPeak = at.liveAtPeak
    .map((t): PeakTensor => ({
      tensor: t.tensor,
      producer: t.producer,
      opType: opTypeOf.get(t.producer) ?? NO_OP_TYPE,
      scope: t.scope,
      category: t.category,
      shape: t.shape,
      dtype: t.dtype,
      bytes: t.bytes,
      from: t.from,
      until: t.until,
    }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    combo: req.combo,
    batch,
    peakBytes: at.peakBytes,
    peakStep: at.peakStep,
    peakNode: at.peakNode,
    floorBytes: at.floorBytes,
    reservedPeakBytes: at.reservedPeakBytes,
    byCategory: at.byCategory,
    byScope: at.byScope,
    timeline,
    atPeak,
  };
}
