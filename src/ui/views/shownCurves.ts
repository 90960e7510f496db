/**
 * The curves as the planned chart shows them. The workers plan every curve over the batch
 * slider's whole range (store.ts curvesMinBatch), so that moving the batch never waits for them;
 * the chart shows each curve as far as a curve asked for the chart's reach would go (the batch
 * rounded up to a power of 2, store.ts nextMinBatch): to that reach, and a quarter past the
 * curve's own max batch on the budget. While no curve's end moves, the shown curves are the same
 * objects, and the memoised chart is not drawn again.
 */
import { curveEnd } from '../../engine/explore/curveEnd';
import type { Curve } from '../../engine/explore/types';

/** Where each curve is shown to, given the chart's reach (never past its last point). */
export function shownEnds(curves: readonly Curve[], reach: number): number[] {
  return curves.map((c) => Math.min(curveEnd(c.budgetMaxBatch, reach), c.points.at(-1)?.batch ?? 0));
}

/** Each curve cut at its end (`ends`, by index): a curve that ends by then is returned as it is. */
export function cutCurves(curves: readonly Curve[], ends: readonly number[]): Curve[] {
  return curves.map((c, i) => {
    const end = ends[i] ?? Infinity;
    if ((c.points.at(-1)?.batch ?? 0) <= end) return c;
    const points = c.points.filter((p) => p.batch <= end);
    return { ...c, points, reservedPoints: points.filter((p) => p.reservedBytes !== null).length };
  });
}
