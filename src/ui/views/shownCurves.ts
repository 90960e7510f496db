/**
 * The curves as the planned chart shows them. The workers plan every curve over the batch
 * slider's whole range (store.ts curvesMinBatch), so that moving the batch never waits for them;
 * the chart shows every curve up to one last batch: a quarter past the largest budget max batch
 * among them (where a curve's own range ends), and at least the chart's reach (the batch rounded
 * up to a power of 2, store.ts nextMinBatch). While that batch stays, the shown curves are the same
 * objects, and the memoised chart is not drawn again.
 */
import { curveEnd } from '../../engine/explore/curveEnd';
import type { Curve } from '../../engine/explore/types';

/** The last batch the chart shows of `curves`, given its reach. */
export function shownEnd(curves: readonly Curve[], reach: number): number {
  let end = 0;
  for (const c of curves) end = Math.max(end, curveEnd(c.budgetMaxBatch, reach));
  return end;
}

/** `curves` cut at batch `end`: a curve that ends by then is returned as it is. */
export function cutCurves(curves: readonly Curve[], end: number): Curve[] {
  return curves.map((c) => {
    if ((c.points.at(-1)?.batch ?? 0) <= end) return c;
    const points = c.points.filter((p) => p.batch <= end);
    return { ...c, points, reservedPoints: points.filter((p) => p.reservedBytes !== null).length };
  });
}
