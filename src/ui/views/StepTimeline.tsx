/**
 * One step, node by node: live bytes stacked by category, forward/backward/recompute shaded, the
 * peak marked. Zoom and pan with the overview strip under the chart (OverviewBrush), the buttons, or the keyboard (+, −,
 * ←, →, 0) when the timeline has focus. Long steps are drawn per bucket's largest row, peak kept.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import { comboKey, type StepDetail } from '../../engine/explore/types';
import { byteTicks, formatBytesShort } from '../format';
import { OverviewBrush } from './OverviewBrush';
import { PhaseBands } from './PhaseBands';
import { AxisTick, gridAt, NoCurve } from './rechartsParts';
import { StackedSteps } from './StackedSteps';
import { RowTooltip, TimelineLegend } from './TimelineParts';
import {
  drawnRows,
  fullRange,
  MAX_DRAWN_ROWS,
  panRange,
  peakLabel,
  phaseBands,
  stepTicks,
  visibleBands,
  zoomRange,
  type DrawnRow,
  type Range,
} from './timelineModel';
import './views.css';

export interface StepTimelineProps {
  detail: StepDetail;
  /** Measured live bytes after each timeline row (same length as detail.timeline), when measured. */
  measuredLive?: number[];
}

export function StepTimeline({ detail, measuredLive }: StepTimelineProps) {
  const count = detail.timeline.length;
  // The range zoomed to, with the step it belongs to: a new step starts fully zoomed out (derived
  // while rendering, so the rows are built once for it, not for the old range and then again).
  const [zoomed, setZoomed] = useState<{ detail: StepDetail; range: Range } | null>(null);
  const range = zoomed?.detail === detail ? zoomed.range : fullRange(count);
  const setRange = (next: Range | ((r: Range) => Range)) =>
    setZoomed((z) => {
      const current = z?.detail === detail ? z.range : fullRange(count);
      return { detail, range: typeof next === 'function' ? next(current) : next };
    });

  const bands = useMemo(() => phaseBands(detail.timeline), [detail]);
  const totals = useMemo(() => detail.timeline.map((r) => r.liveBytes), [detail]);
  const peakIndex = useMemo(() => detail.timeline.findIndex((r) => r.step === detail.peakStep), [detail]);
  const { start, end } = range;
  const rows = useMemo(
    () => drawnRows(detail, { start, end }, measuredLive),
    [detail, start, end, measuredLive],
  );

  const first = detail.timeline[range.start];
  const last = detail.timeline[range.end];
  if (!first || !last) {
    return (
      <figure className="chart step-timeline" data-testid="step-timeline">
        <p className="chart-empty">This step has no nodes.</p>
      </figure>
    );
  }
  const from = first.step - 0.5;
  const to = last.step + 0.5;
  const yMax = Math.max(0, ...rows.map((r) => Math.max(r.total, r.measured ?? 0)));
  const yTicks = byteTicks(yMax);
  const xTicks = stepTicks(from, to);
  const peakVisible = detail.peakStep >= first.step && detail.peakStep <= last.step;
  const downsampled = range.end - range.start + 1 > MAX_DRAWN_ROWS;

  const zoom = (factor: number) => setRange((r) => zoomRange(r, factor, count));
  const pan = (fraction: number) => setRange((r) => panRange(r, fraction, count));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === '+' || e.key === '=') zoom(0.5);
    else if (e.key === '-' || e.key === '_') zoom(2);
    else if (e.key === '0' || (e.key === 'Home' && e.target === e.currentTarget)) setRange(fullRange(count));
    else if (e.key === 'ArrowLeft' && e.target === e.currentTarget) pan(-0.2);
    else if (e.key === 'ArrowRight' && e.target === e.currentTarget) pan(0.2);
    else return;
    e.preventDefault();
  };

  const renderTooltip = ({ active, payload }: TooltipContentProps) => {
    const drawn = payload?.[0]?.payload as DrawnRow | undefined;
    const row = drawn ? detail.timeline[drawn.index] : undefined;
    if (!active || !row || !drawn) return null;
    return <RowTooltip row={row} measured={drawn.measured} />;
  };

  return (
    <figure
      className="chart step-timeline"
      data-testid="step-timeline"
      data-combo={comboKey(detail.combo)}
      data-batch={detail.batch}
      data-peak-step={detail.peakStep}
      data-peak-bytes={detail.peakBytes}
      data-range-start={first.step}
      data-range-end={last.step}
      data-drawn-rows={rows.length}
      aria-labelledby="st-caption"
    >
      <figcaption id="st-caption">
        Live GPU memory through one step of {comboKey(detail.combo)} at batch {detail.batch}, by category;{' '}
        <span className="st-peak-text">{peakLabel(detail)}</span>
      </figcaption>
      <div className="st-toolbar">
        <button type="button" onClick={() => zoom(0.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(2)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setRange(fullRange(count))}>
          Reset
        </button>
        <span className="muted-cell" aria-live="polite">
          steps {first.step}–{last.step} of {count}
          {downsampled ? `; drawing each bucket's largest of ${range.end - range.start + 1} rows` : ''}
        </span>
      </div>
      <div
        className="st-plot"
        tabIndex={0}
        role="group"
        aria-label="Step timeline. Plus and minus zoom, arrow keys pan, 0 resets."
        onKeyDown={onKeyDown}
      >
        <ComposedChart
          responsive
          style={{ width: '100%', height: 320 }}
          data={rows}
          margin={{ top: 20, right: 24, bottom: 8, left: 8 }}
        >
          <CartesianGrid
            stroke="var(--grid)"
            {...gridAt(
              { ticks: xTicks, domain: [from, to] },
              { ticks: yTicks, domain: [0, yTicks.at(-1) ?? 0] },
            )}
          />
          <PhaseBands bands={visibleBands(bands, from, to)} minLabelled={(to - from) / 12} />
          <XAxis
            dataKey="step"
            type="number"
            domain={[from, to]}
            ticks={xTicks}
            interval={0}
            allowDataOverflow
            allowDecimals={false}
            tick={AxisTick}
            tickFormatter={(v: number) => String(Math.round(v))}
            label={{ value: 'step (execution order)', position: 'insideBottom', offset: -4 }}
            height={40}
          />
          <YAxis
            tick={AxisTick}
            tickFormatter={formatBytesShort}
            width={80}
            domain={[0, yTicks.at(-1) ?? 0]}
            ticks={yTicks}
            interval={0}
          />
          <Tooltip content={renderTooltip} isAnimationActive={false} />
          <StackedSteps rows={rows} />
          {/* Invisible: gives the tooltip its row (the areas above are not recharts items). */}
          <Line
            dataKey="total"
            name="live"
            type="step"
            stroke="none"
            dot={false}
            activeDot={false}
            legendType="none"
            isAnimationActive={false}
            shape={NoCurve}
          />
          {measuredLive && (
            <Line
              dataKey="measured"
              name="measured live after"
              type="step"
              stroke="var(--measured)"
              strokeDasharray="3 2"
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
            />
          )}
          {peakVisible && (
            <ReferenceLine
              x={detail.peakStep}
              stroke="var(--peak)"
              strokeDasharray="4 3"
              label={{ value: peakLabel(detail), position: 'top', fill: 'var(--peak)' }}
            />
          )}
          {peakVisible && (
            <ReferenceDot
              x={detail.peakStep}
              y={detail.peakBytes}
              r={4}
              fill="var(--peak)"
              stroke="var(--panel)"
            />
          )}
        </ComposedChart>
      </div>
      <OverviewBrush totals={totals} peakIndex={peakIndex} range={range} onChange={setRange} />
      <TimelineLegend detail={detail} />
    </figure>
  );
}
