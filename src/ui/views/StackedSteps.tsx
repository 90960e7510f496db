/**
 * The step timeline's live bytes stacked by category: one SVG path per category, built from the
 * drawn rows with the chart's own scales (and its top edge stroked, as an Area's line). It draws what recharts' stacked step Areas drew (d3's
 * curveStep: each change halfway between two drawn rows) at a fraction of their cost, which
 * matters because the timeline redraws after every move of a control.
 */
import { useMemo } from 'react';
import { DefaultZIndexes, useXAxisScale, useYAxisScale, ZIndexLayer } from 'recharts';
import { CATEGORIES, type Category } from '../../engine/vocabulary';
import { CATEGORY_VAR } from './seriesStyle';
import type { DrawnRow } from './timelineModel';

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

/** A pixel coordinate to 1/100 px: a shorter path string, drawn the same. */
const px = (v: number): number => Math.round(v * 100) / 100;

/** d3's curveStep through (xs[i], ys[i]), as path commands after a first point; `reverse` walks back. */
function stepEdge(xs: readonly number[], ys: ArrayLike<number>, reverse: boolean): string {
  const n = xs.length;
  const parts: string[] = [];
  for (let j = 0; j < n; j++) {
    const i = reverse ? n - 1 - j : j;
    const x = px(xs[i] as number);
    const y = px(ys[i] as number);
    if (j === 0) {
      parts.push(`${x},${y}`);
      continue;
    }
    const prev = reverse ? i + 1 : i - 1;
    const mid = px(((xs[prev] as number) + (xs[i] as number)) / 2);
    const before = px(ys[prev] as number);
    parts.push(`${mid},${before}`, `${mid},${y}`, `${x},${y}`);
  }
  return parts.join('L');
}

/** The area of one category: its top edge forward, the edge below it back. */
export function categoryPath(
  xs: readonly number[],
  top: ArrayLike<number>,
  bottom: ArrayLike<number>,
): string {
  if (xs.length === 0) return '';
  return `M${stepEdge(xs, top, false)}L${stepEdge(xs, bottom, true)}Z`;
}

/** Rendered as a child of the timeline's ComposedChart, in the layer recharts gives areas. */
export function StackedSteps({ rows }: { rows: readonly DrawnRow[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const tops = useMemo(() => stackTops(rows), [rows]);
  // Recharts hands out new scale functions on each of its internal updates (a chart mounting goes
  // through several): the paths are rebuilt only when what the scales map changes. Both scales are
  // linear, so where they put 0 and 1 pins each down.
  const x0 = x?.(0);
  const x1 = x?.(1);
  const y0 = y?.(0);
  const y1 = y?.(1);
  const paths = useMemo(() => {
    if (x0 === undefined || x1 === undefined || y0 === undefined || y1 === undefined) return null;
    const xs = rows.map((r) => x0 + r.step * (x1 - x0));
    const toPixels = (edge: Float64Array) => edge.map((v) => y0 + v * (y1 - y0));
    const zero = toPixels(new Float64Array(rows.length));
    const pixelTops = tops.map(toPixels);
    return CATEGORIES.map((c: Category, k) => {
      const top = pixelTops[k] as Float64Array;
      const area = categoryPath(xs, top, k === 0 ? zero : (pixelTops[k - 1] as Float64Array));
      return { category: c, area, edge: xs.length ? `M${stepEdge(xs, top, false)}` : '' };
    });
  }, [rows, tops, x0, x1, y0, y1]);
  if (!paths) return null;
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.area}>
      <g className="st-areas">
        {paths.map(({ category, area, edge }) => (
          <g key={category} className="st-area" data-category={category}>
            <path d={area} stroke="none" fill={CATEGORY_VAR[category]} fillOpacity={0.75} />
            <path d={edge} stroke={CATEGORY_VAR[category]} fill="none" />
          </g>
        ))}
      </g>
    </ZIndexLayer>
  );
}
