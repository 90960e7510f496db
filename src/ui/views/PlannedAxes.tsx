/**
 * The planned chart's frame: the grid, the batch and bytes axes with their ticks and names, and the
 * budget line. Plain SVG from the chart's scale, memoised: a change of the curves that leaves the
 * axes where they were does not draw them again. The step timeline draws its frame with it too
 * (steps for batches, no budget).
 */
import { memo } from 'react';
import { formatBytesShort } from '../format';
import type { PlotScale } from './plotScale';

/** Length of a tick mark, and the gap between it and its label, px. */
const TICK = 6;
const GAP = 3;

export interface PlannedAxesProps {
  /** Any scale with a plot area, linear bytes on y: the planned chart's, the step timeline's. */
  scale: Pick<PlotScale, 'plot' | 'x' | 'y'>;
  xTicks: readonly number[];
  yTicks: readonly number[];
  /** The x axis' name. */
  xLabel: string;
  /** The budget's line (none when absent). */
  budgetBytes?: number;
  budgetLabel?: string;
}

export const PlannedAxes = memo(function PlannedAxes(props: PlannedAxesProps) {
  const { scale, xTicks, yTicks, xLabel, budgetBytes, budgetLabel } = props;
  const { plot, x, y } = scale;
  const left = plot.x;
  const right = plot.x + plot.width;
  const top = plot.y;
  const bottom = plot.y + plot.height;
  const xs = xTicks.map((t) => ({ t, px: x(t) })).filter((p) => p.px >= left - 0.5 && p.px <= right + 0.5);
  const ys = yTicks.map((t) => ({ t, px: y(t) })).filter((p) => p.px >= top - 0.5 && p.px <= bottom + 0.5);
  const budgetY = budgetBytes === undefined ? NaN : y(budgetBytes);
  return (
    <g className="pc-axes">
      <g className="pc-grid" stroke="var(--grid)">
        {xs.map(({ t, px }) => (
          <line key={`x${t}`} x1={px} x2={px} y1={top} y2={bottom} />
        ))}
        {ys.map(({ t, px }) => (
          <line key={`y${t}`} x1={left} x2={right} y1={px} y2={px} />
        ))}
      </g>
      <g className="pc-axis pc-x-axis">
        <line x1={left} x2={right} y1={bottom} y2={bottom} stroke="var(--muted)" />
        {xs.map(({ t, px }) => (
          <g key={t}>
            <line x1={px} x2={px} y1={bottom} y2={bottom + TICK} stroke="var(--muted)" />
            <text x={px} y={bottom + TICK + GAP} dy="0.71em" textAnchor="middle" fill="var(--muted)">
              {t}
            </text>
          </g>
        ))}
        <text x={left + plot.width / 2} y={bottom + 40} textAnchor="middle" fill="var(--muted)">
          {xLabel}
        </text>
      </g>
      <g className="pc-axis pc-y-axis">
        <line x1={left} x2={left} y1={top} y2={bottom} stroke="var(--muted)" />
        {ys.map(({ t, px }) => (
          <g key={t}>
            <line x1={left - TICK} x2={left} y1={px} y2={px} stroke="var(--muted)" />
            <text x={left - TICK - GAP} y={px} dy="0.355em" textAnchor="end" fill="var(--muted)">
              {formatBytesShort(t)}
            </text>
          </g>
        ))}
      </g>
      {budgetY >= top - 0.5 && budgetY <= bottom + 0.5 && (
        <g className="pc-budget">
          <line x1={left} x2={right} y1={budgetY} y2={budgetY} stroke="var(--budget)" strokeDasharray="6 3" />
          <text x={right - 5} y={budgetY - 5} textAnchor="end" fill="var(--budget)">
            {budgetLabel}
          </text>
        </g>
      )}
    </g>
  );
});
