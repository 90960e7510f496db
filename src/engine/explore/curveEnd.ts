/**
 * Where a curve ends. Dependency-free on purpose: the page's thread imports it to cut the curves
 * it shows (src/ui/views/shownCurves.ts) without loading the planner.
 */
import { MAX_BATCH } from '../vocabulary';

/** The last batch a curve shows: the request's minimum, and a quarter past the budget's maximum. */
export function curveEnd(budgetMaxBatch: number, minBatch: number): number {
  return Math.min(MAX_BATCH, Math.max(minBatch, Math.ceil(1.25 * budgetMaxBatch) + 1, 8));
}
