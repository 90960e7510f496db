/**
 * The planned chart's curves and floor lines: one SVG path each, built from the drawn rows with the
 * chart's own scales, in the layer recharts gives lines. It draws what recharts' linear `<Line>`s
 * drew (nulls connected, clipped to the plot) without their per-render re-measuring of each
 * previous path, which made a redraw of 12 curves a long task. A curve whose points and scales did
 * not change keeps its path string and its element. The hover dots (recharts' active dots) follow
 * the tooltip's batch and select a combination at that batch when clicked.
 */
import { memo, useId, useMemo } from 'react';
import {
  DefaultZIndexes,
  useActiveTooltipLabel,
  usePlotArea,
  useXAxisScale,
  useYAxisScale,
  ZIndexLayer,
} from 'recharts';
import type { Combo } from '../../engine/explore/types';
import type { PlannedRow } from './chartRows';
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

/** The scales as a ScaleFix, the same object while they map the same; null before the chart is laid out. */
function useScaleFix(log: boolean): ScaleFix | null {
  const x = useXAxisScale();
  const y = useYAxisScale();
  // Recharts hands out new scale functions on each of its internal updates: the fix (and the
  // paths) change only when what the scales map changes.
  const x1 = x?.(1);
  const x2 = x?.(2);
  const y0 = y?.(0);
  const y1 = y?.(1);
  return useMemo(() => {
    if (x1 === undefined || x2 === undefined || y0 === undefined || y1 === undefined) return null;
    return { log, x1, x2, y0, y1 };
  }, [log, x1, x2, y0, y1]);
}

export interface PlannedLinesProps {
  rows: readonly PlannedRow[];
  /** Drawn in this order (coincident curves widest first). */
  series: readonly LineSeries[];
  /** Whether the x axis is log 2 (else linear). */
  log: boolean;
  onSelect(combo: Combo, batch: number): void;
}

/** Rendered as a child of the planned chart's LineChart. */
export function PlannedLines({ rows, series, log, onSelect }: PlannedLinesProps) {
  const fix = useScaleFix(log);
  const plot = usePlotArea();
  const clipId = `pc-clip-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const points = useMemo(() => series.map((s) => seriesPoints(rows, s.key)), [rows, series]);
  if (!fix || !plot) return null;
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.line}>
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
      <HoverDots rows={rows} series={series} fix={fix} onSelect={onSelect} />
    </ZIndexLayer>
  );
}

/** A dot on each curve at the tooltip's batch; a click selects that curve's combination there. */
function HoverDots({
  rows,
  series,
  fix,
  onSelect,
}: {
  rows: readonly PlannedRow[];
  series: readonly LineSeries[];
  fix: ScaleFix;
  onSelect(combo: Combo, batch: number): void;
}) {
  const label: unknown = useActiveTooltipLabel();
  const batch = Number(label);
  if (label === undefined || label === null || !Number.isFinite(batch)) return null;
  const row = rows.find((r) => r.batch === batch);
  if (!row) return null;
  const cx = batchX(fix, batch);
  if (!Number.isFinite(cx)) return null;
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
