/**
 * The step timeline's geometry: where the plot sits in its SVG and how steps and bytes map to
 * pixels (both axes linear). Pure, like the planned chart's plotScale.ts, so the timeline draws its
 * axes, areas and marks from one object.
 */
import { plotArea, type PlotArea } from './plotScale';

/** The timeline's height, px (its width follows its box). */
export const TIMELINE_HEIGHT = 320;

/** Room around the plot: the axes' ticks and labels, and the peak's label above the plot. */
export const TIMELINE_MARGIN = { top: 22, right: 24, bottom: 48, left: 88 } as const;

export interface TimelineScale {
  plot: PlotArea;
  /** Pixel x of a step, pixel y of a byte count. */
  x(step: number): number;
  y(bytes: number): number;
  /** The step at pixel x (not rounded). */
  stepAt(px: number): number;
}

/**
 * The scale of a timeline `width` × `height` px showing steps `from` to `to` and bytes 0 to `yMax`;
 * null when there is no room to plot or nothing to show.
 */
export function timelineScale(
  width: number,
  height: number,
  opts: { from: number; to: number; yMax: number },
): TimelineScale | null {
  const plot = plotArea(width, height, TIMELINE_MARGIN);
  const { from, to, yMax } = opts;
  if (!(plot.width > 0 && plot.height > 0 && to > from && yMax > 0)) return null;
  const span = to - from;
  return {
    plot,
    x: (step) => plot.x + ((step - from) / span) * plot.width,
    y: (bytes) => plot.y + plot.height - (bytes / yMax) * plot.height,
    stepAt: (px) => from + ((px - plot.x) / plot.width) * span,
  };
}
