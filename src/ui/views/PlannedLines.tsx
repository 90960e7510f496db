/**
 * The planned chart's curves and floor lines: one SVG path each, built from the drawn rows with the
 * chart's scale (plotScale.ts), straight segments through each series' values (nulls connected),
 * clipped to the plot. A curve whose points and scale did not change keeps its path string and its
 * element. The hover dots follow the tooltip's batch and select a combination at that batch when
 * clicked.
 */
import { memo, useId, useMemo } from 'react';
import type { Combo } from '../../engine/explore/types';
import type { PlannedRow } from './chartRows';
import { usePlot, type ScaleFix } from './plotScale';
import { STRATEGY_VAR } from './seriesStyle';

/** One line: its series key in the rows, and how it is stroked. */
export interface LineSeries {
  key: string;
  stroke: string;
  strokeDasharray: string;
  strokeWidth: number;
  strokeOpacity: number;
  /** The curve's combination (it gets hover dots); absent for floor lines. */
  combo?: Combo;
}

/** A pixel coordinate to 1/100 px: a shorter path string, drawn the same. */
const px = (v: number): number => Math.round(v * 100) / 100;

/** A series' batches and bytes, over the rows where it has a value (nulls connected). */
export function seriesPoints(
  rows: readonly PlannedRow[],
  key: string,
): { batches: number[]; bytes: number[] } {
  const batches: number[] = [];
  const bytes: number[] = [];
  for (const row of rows) {
    const v = row[key];
    if (v === undefined || !Number.isFinite(v)) continue;
    batches.push(row.batch);
    bytes.push(v);
  }
  return { batches, bytes };
}

/** The x pixel of a batch on the axis `fix` describes (log 2 or linear); NaN where log has none. */
export function batchX(fix: ScaleFix, batch: number): number {
  const step = fix.x2 - fix.x1;
  return fix.log ? fix.x1 + Math.log2(batch) * step : fix.x1 + (batch - 1) * step;
}

/** A linear path through the points, as d3's curveLinear draws it; '' for none. */
export function linePath(batches: readonly number[], bytes: readonly number[], fix: ScaleFix): string {
  const parts: string[] = [];
  for (let i = 0; i < batches.length; i++) {
    const x = batchX(fix, batches[i] as number);
    const y = fix.y0 + (bytes[i] as number) * (fix.y1 - fix.y0);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    parts.push(`${px(x)},${px(y)}`);
  }
  return parts.length ? `M${parts.join('L')}` : '';
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

interface CurvePathProps {
  series: LineSeries;
  batches: number[];
  bytes: number[];
  fix: ScaleFix;
}

/** One curve's path: redrawn only when its points, its stroke or the scales change. */
const CurvePath = memo(
  function CurvePath({ series, batches, bytes, fix }: CurvePathProps) {
    const d = useMemo(() => linePath(batches, bytes, fix), [batches, bytes, fix]);
    return (
      <path
        className="pc-line"
        data-series={series.key}
        d={d}
        fill="none"
        stroke={series.stroke}
        strokeDasharray={series.strokeDasharray || undefined}
        strokeWidth={series.strokeWidth}
        strokeOpacity={series.strokeOpacity}
      />
    );
  },
  (a, b) =>
    a.series.key === b.series.key &&
    a.series.stroke === b.series.stroke &&
    a.series.strokeDasharray === b.series.strokeDasharray &&
    a.series.strokeWidth === b.series.strokeWidth &&
    a.series.strokeOpacity === b.series.strokeOpacity &&
    a.fix === b.fix &&
    sameNumbers(a.batches, b.batches) &&
    sameNumbers(a.bytes, b.bytes),
);

export interface PlannedLinesProps {
  rows: readonly PlannedRow[];
  /** Drawn in this order (coincident curves widest first). */
  series: readonly LineSeries[];
}

/** Drawn inside the planned chart's SVG, with its scale. */
export function PlannedLines({ rows, series }: PlannedLinesProps) {
  const scale = usePlot();
  const clipId = `pc-clip-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const points = useMemo(() => series.map((s) => seriesPoints(rows, s.key)), [rows, series]);
  if (!scale) return null;
  const { plot, fix } = scale;
  return (
    <g className="pc-line-layer">
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
        </clipPath>
      </defs>
      <g className="pc-lines" clipPath={`url(#${clipId})`}>
        {series.map((s, i) => {
          const p = points[i] as { batches: number[]; bytes: number[] };
          return <CurvePath key={s.key} series={s} batches={p.batches} bytes={p.bytes} fix={fix} />;
        })}
      </g>
    </g>
  );
}

/** A dot on each curve at the tooltip's batch (a drawn row's); a click selects that curve's combination there. */
export function HoverDots({
  batch,
  rows,
  series,
  onSelect,
}: {
  batch: number | null;
  rows: readonly PlannedRow[];
  series: readonly LineSeries[];
  onSelect(combo: Combo, batch: number): void;
}) {
  const scale = usePlot();
  if (batch === null || !scale) return null;
  const row = rows.find((r) => r.batch === batch);
  if (!row) return null;
  const cx = batchX(scale.fix, batch);
  if (!Number.isFinite(cx)) return null;
  const { fix } = scale;
  return (
    <g className="pc-hover-dots">
      {series.map((s) => {
        const v = row[s.key];
        const { combo } = s;
        if (!combo || v === undefined) return null;
        return (
          <circle
            key={s.key}
            className="chart-dot"
            data-series={s.key}
            cx={cx}
            cy={fix.y0 + v * (fix.y1 - fix.y0)}
            r={5}
            fill="var(--panel)"
            stroke={STRATEGY_VAR[combo.strategy]}
            strokeWidth={2}
            onClick={() => onSelect(combo, batch)}
          />
        );
      })}
    </g>
  );
}
