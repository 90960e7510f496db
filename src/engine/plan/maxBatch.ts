/**
 * The largest batch that fits: peak live bytes within a budget, and every single buffer within
 * what the device can create and bind. Peak and largest buffer never decrease with the batch, so
 * an exponential then binary search over the plan's fast peak finds it.
 */
import {
  bufferLimit,
  MAX_BATCH,
  type BufferLimitName,
  type DeviceLimits,
  type MaxBatchLimit,
} from '../vocabulary';
import type { GraphPlan } from './plan';

export interface MaxBatch {
  /** 0 when not even batch 1 fits. */
  batch: number;
  /**
   * What stops batch + 1: the budget, or a single buffer over a device limit ('maxBufferSize'
   * as in the report; `bufferLimit` says whether creation or binding size binds).
   */
  limitedBy: MaxBatchLimit;
  bufferLimit: { limit: BufferLimitName; limitBytes: number; tensor: string; bytes: number } | null;
  /** Peak live bytes at `batch` (0 for batch 0). */
  peakBytes: number;
}

/** The searched range ends here; a plan that still fits reports it, limited by the budget. */
export const MAX_SEARCHED_BATCH = MAX_BATCH;

export function maxBatch(plan: GraphPlan, budgetBytes: number, limits?: DeviceLimits): MaxBatch {
  const { name: capName, bytes: cap } = limits
    ? bufferLimit(limits)
    : { name: 'maxBufferSize' as const, bytes: Infinity };
  const withinBudget = (b: number) => plan.peakBytes(b) <= budgetBytes;
  const withinLimit = (b: number) => plan.largestBufferBytes(b) <= cap;
  const fits = (b: number) => withinLimit(b) && withinBudget(b);

  let lo = 0;
  let hi = 1;
  while (hi <= MAX_SEARCHED_BATCH && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi > MAX_SEARCHED_BATCH) {
    return { batch: lo, limitedBy: 'budget', bufferLimit: null, peakBytes: plan.peakBytes(lo) };
  }
  // fits(lo) (or lo = 0), !fits(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const overLimit = !withinLimit(hi);
  const largest = plan.largestBuffer(hi);
  return {
    batch: lo,
    limitedBy: overLimit ? 'maxBufferSize' : 'budget',
    bufferLimit: overLimit
      ? { limit: capName, limitBytes: cap, tensor: largest.tensor, bytes: largest.bytes }
      : null,
    peakBytes: lo === 0 ? 0 : plan.peakBytes(lo),
  };
}
