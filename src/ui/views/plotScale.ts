/**
 * The planned chart's geometry: where the plot sits in the SVG and how batches and bytes map to
 * pixels (a log-2 or linear batch axis, a linear bytes axis from 0). Pure, so that the chart draws
 * its axes, curves and marks from one object, and the same object while nothing it maps changes.
 */
import { createContext, useContext } from 'react';

/** Where the scales put two values of each axis: with the x axis' kind, that pins both down. */
export interface ScaleFix {
  log: boolean;
  /** x of batch 1 and of batch 2. */
  x1: number;
  x2: number;
  /** y of 0 bytes and of 1 byte. */
  y0: number;
  y1: number;
}

/** The plot's rectangle in the SVG, in pixels. */
export interface PlotArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlotScale {
  plot: PlotArea;
  /** The two points of each axis that pin the scales down (PlannedLines builds paths from it). */
  fix: ScaleFix;
  /** Pixel x of a batch (NaN below 1 on a log axis), pixel y of a byte count. */
  x(batch: number): number;
  y(bytes: number): number;
  /** The batch at pixel x (not rounded). */
  batchAt(px: number): number;
}

/** The plot's rectangle in an SVG `width` × `height` px with `margin` around it. */
export function plotArea(
  width: number,
  height: number,
  margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number },
): PlotArea {
  return {
    x: margin.left,
    y: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
}

/** Room around the plot: the axes' ticks and labels, and a little air. */
export const PLOT_MARGIN = { top: 16, right: 24, bottom: 48, left: 88 } as const;

/**
 * The scale of a chart `width` × `height` px whose batch axis runs from 1 (log 2) or 0 (linear) to
 * `lastBatch` and whose bytes axis runs from 0 to `yMax`; null when there is no room to plot.
 */
export function plotScale(
  width: number,
  height: number,
  opts: { log: boolean; lastBatch: number; yMax: number },
): PlotScale | null {
  const plot = plotArea(width, height, PLOT_MARGIN);
  const { log, lastBatch, yMax } = opts;
  if (!(plot.width > 0 && plot.height > 0 && lastBatch > 1 && yMax > 0)) return null;
  const span = log ? Math.log2(lastBatch) : lastBatch;
  const x = (batch: number): number => plot.x + ((log ? Math.log2(batch) : batch) / span) * plot.width;
  const y = (bytes: number): number => plot.y + plot.height - (bytes / yMax) * plot.height;
  const batchAt = (px: number): number => {
    const t = ((px - plot.x) / plot.width) * span;
    return log ? 2 ** t : t;
  };
  return {
    plot,
    fix: { log, x1: x(1), x2: x(2), y0: y(0), y1: y(1) },
    x,
    y,
    batchAt,
  };
}

/** About `count` whole, evenly spaced ticks from 0 to at most `last` (steps of 1, 2, 2.5, 5 × 10^k). */
export function linearTicks(last: number, count = 5): number[] {
  if (!(last > 0)) return [0];
  const raw = last / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude);
  const whole = Number.isInteger(step) ? step : Math.ceil(step);
  const ticks: number[] = [];
  for (let t = 0; t <= last; t += whole) ticks.push(t);
  return ticks;
}

/**
 * The drawn batch nearest to pixel `px` (the tooltip's batch, as recharts picked the nearest data
 * point); `batches` ascending. Null when there are none.
 */
export function nearestBatch(scale: PlotScale, batches: readonly number[], px: number): number | null {
  if (batches.length === 0) return null;
  let lo = 0;
  let hi = batches.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (scale.x(batches[mid]!) < px) lo = mid;
    else hi = mid;
  }
  const a = batches[lo]!;
  const b = batches[hi]!;
  return Math.abs(scale.x(a) - px) <= Math.abs(scale.x(b) - px) ? a : b;
}

/** The chart's scale, for the parts drawn inside its SVG (lines, markers, the batch line). */
export const PlotContext = createContext<PlotScale | null>(null);

export const usePlot = (): PlotScale | null => useContext(PlotContext);
