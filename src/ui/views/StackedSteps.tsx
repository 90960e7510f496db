/**
 * The step timeline's live bytes stacked by category: one SVG path per category (and its top edge
 * stroked, as an Area's line), drawing what recharts' stacked step Areas drew (d3's curveStep: each
 * change halfway between two drawn rows) at a fraction of their cost, which matters because the
 * timeline redraws after every move of a control. The paths are built once per set of drawn rows,
 * in the rows' own units (whole numbers: half steps and 1/Y_UNITS of the largest total), and placed
 * on the chart by a transform made of its scale: a new scale (the timeline resized, zoomed, or its
 * bytes axis grown) changes one attribute, not the paths.
 */
import { memo, useMemo } from 'react';
import { CATEGORIES, type Category } from '../../engine/vocabulary';
import { CATEGORY_VAR } from './seriesStyle';
import type { DrawnRow } from './timelineModel';
import type { TimelineScale } from './timelineScale';

/** The paths' vertical resolution: the largest total is this many units high. */
export const Y_UNITS = 100_000;

/** Each category's upper edge (bytes of it and every category before it) at each row. */
export function stackTops(rows: readonly DrawnRow[]): Float64Array[] {
  const tops = CATEGORIES.map(() => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    let sum = 0;
    CATEGORIES.forEach((c, k) => {
      sum += row[c];
      (tops[k] as Float64Array)[i] = sum;
    });
  });
  return tops;
}

/**
 * d3's curveStep through (xs[i], ys[i]) as path commands after a first point, `reverse` walking
 * back: a change of y halfway between two rows, and a vertex only where y changes (a category that
 * holds the same bytes for a hundred rows is one line, not four hundred points).
 */
export function stepEdge(xs: ArrayLike<number>, ys: ArrayLike<number>, reverse: boolean): string {
  const n = xs.length;
  if (n === 0) return '';
  const at = (j: number) => (reverse ? n - 1 - j : j);
  let path = `${xs[at(0)] as number},${ys[at(0)] as number}`;
  for (let j = 1; j < n; j++) {
    const i = at(j);
    const prev = at(j - 1);
    const y = ys[i] as number;
    const before = ys[prev] as number;
    if (y === before) continue;
    const mid = ((xs[prev] as number) + (xs[i] as number)) / 2;
    path += `L${mid},${before}L${mid},${y}`;
  }
  const last = at(n - 1);
  if (n > 1) path += `L${xs[last] as number},${ys[last] as number}`;
  return path;
}

export interface StackedPaths {
  /** Bytes per vertical unit of the paths. */
  bytesPerUnit: number;
  /** The categories that hold bytes in some drawn row, in CATEGORIES order. */
  areas: { category: Category; area: string; edge: string }[];
}

/**
 * Every category's area and top edge, x in half steps (2 × step, so that the halfway points are
 * whole) and y in units of `bytesPerUnit` bytes, rounded (the largest total is Y_UNITS high).
 * A category with no bytes in any drawn row has no area.
 */
export function stackedPaths(rows: readonly DrawnRow[]): StackedPaths {
  const tops = stackTops(rows);
  const largest = Math.max(0, ...(tops.at(-1) ?? []));
  const bytesPerUnit = largest > 0 ? largest / Y_UNITS : 1;
  const xs = rows.map((r) => 2 * r.step);
  const areas: StackedPaths['areas'] = [];
  // The edge below the next category, walked back (the axis, below the first).
  let below = stepEdge(xs, new Float64Array(rows.length), true);
  CATEGORIES.forEach((category, k) => {
    if (!rows.some((r) => r[category] > 0)) return;
    const top = (tops[k] as Float64Array).map((v) => Math.round(v / bytesPerUnit));
    const forward = stepEdge(xs, top, false);
    areas.push({ category, area: `M${forward}L${below}Z`, edge: `M${forward}` });
    below = stepEdge(xs, top, true);
  });
  return { bytesPerUnit, areas };
}

/** The stacked areas, on the timeline's scale. */
export const StackedSteps = memo(function StackedSteps({
  rows,
  scale,
}: {
  rows: readonly DrawnRow[];
  scale: Pick<TimelineScale, 'x' | 'y'>;
}) {
  const paths = useMemo(() => stackedPaths(rows), [rows]);
  // Both scales are linear: where they put 0 and 1 pins each down.
  const x0 = scale.x(0);
  const x1 = scale.x(1);
  const y0 = scale.y(0);
  const y1 = scale.y(1);
  const transform = `matrix(${(x1 - x0) / 2} 0 0 ${(y1 - y0) * paths.bytesPerUnit} ${x0} ${y0})`;
  return (
    <g className="st-areas" transform={transform}>
      {paths.areas.map(({ category, area, edge }) => (
        <g key={category} className="st-area" data-category={category}>
          <path d={area} stroke="none" fill={CATEGORY_VAR[category]} fillOpacity={0.75} />
          <path d={edge} stroke={CATEGORY_VAR[category]} fill="none" vectorEffect="non-scaling-stroke" />
        </g>
      ))}
    </g>
  );
});
