/**
 * One step, node by node: live bytes stacked by category, forward/backward/recompute shaded, the
 * peak marked. Zoom and pan with the overview strip under the chart (OverviewBrush), the buttons, or the keyboard (+, −,
 * ←, →, 0) when the timeline has focus. Long steps are drawn per bucket's largest row, peak kept.
 * Plain SVG from the timeline's scale (timelineScale.ts), as the planned chart: recharts mounted it
 * in one 57-114 ms task after the page's first chart, and its store re-ran every selector at each
 * redraw.
 */
import { memo, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { comboKey, type StepDetail } from '../../engine/explore/types';
import { byteTicks } from '../format';
import { OverviewBrush } from './OverviewBrush';
import { PhaseBands } from './PhaseBands';
import { PlannedAxes } from './PlannedAxes';
import { tooltipPlace, useWidth } from './plotHover';
import { StackedSteps, stepEdge } from './StackedSteps';
import { RowTooltip, TimelineLegend } from './TimelineParts';
import {
  drawnRows,
  fullRange,
  MAX_DRAWN_ROWS,
  nearestIndex,
  panRange,
  peakLabel,
  phaseBands,
  stepTicks,
  visibleBands,
  zoomRange,
  type DrawnRow,
  type Range,
} from './timelineModel';
import { TIMELINE_HEIGHT, timelineScale, type TimelineScale } from './timelineScale';
import './views.css';

/**
 * The measured live bytes as a step line (d3's curveStep, as the areas), broken where a row has
 * no measurement (drawnRows leaves those without).
 */
export function measuredPath(rows: readonly DrawnRow[], scale: Pick<TimelineScale, 'x' | 'y'>): string {
  let path = '';
  let xs: number[] = [];
  let ys: number[] = [];
  const flush = () => {
    if (xs.length > 0) path += `M${stepEdge(xs, ys, false)}`;
    xs = [];
    ys = [];
  };
  for (const r of rows) {
    if (r.measured === undefined) {
      flush();
      continue;
    }
    xs.push(Math.round(scale.x(r.step) * 10) / 10);
    ys.push(Math.round(scale.y(r.measured) * 10) / 10);
  }
  flush();
  return path;
}

/** The peak: a dashed line at its step with its label above the plot, and a dot at its bytes. */
const PeakMark = memo(function PeakMark({ detail, scale }: { detail: StepDetail; scale: TimelineScale }) {
  const px = scale.x(detail.peakStep);
  const { plot } = scale;
  return (
    <g className="st-peak" data-testid="st-peak">
      <line
        x1={px}
        x2={px}
        y1={plot.y}
        y2={plot.y + plot.height}
        stroke="var(--peak)"
        strokeDasharray="4 3"
      />
      {/* Beside the line, on the side with room: a peak near an edge keeps its whole label. */}
      <text
        x={px}
        y={plot.y - 6}
        textAnchor={px > plot.x + plot.width / 2 ? 'end' : 'start'}
        fill="var(--peak)"
      >
        {peakLabel(detail)}
      </text>
      <circle cx={px} cy={scale.y(detail.peakBytes)} r={4} fill="var(--peak)" stroke="var(--panel)" />
    </g>
  );
});

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
  const from = (first?.step ?? 0) - 0.5;
  const to = (last?.step ?? 0) + 0.5;
  const yMax = useMemo(() => Math.max(0, ...rows.map((r) => Math.max(r.total, r.measured ?? 0))), [rows]);
  const yTicks = useMemo(() => byteTicks(yMax), [yMax]);
  const yTop = yTicks.at(-1) ?? 0;
  const xTicks = useMemo(() => stepTicks(from, to), [from, to]);
  const shownBands = useMemo(() => visibleBands(bands, from, to), [bands, from, to]);
  const steps = useMemo(() => rows.map((r) => r.step), [rows]);
  const frameRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useWidth(frameRef);
  const scale = useMemo(
    () => timelineScale(width, TIMELINE_HEIGHT, { from, to, yMax: yTop }),
    [width, from, to, yTop],
  );
  // Not redrawn as the pointer moves the tooltip.
  const measuredLine = useMemo(
    () => (measuredLive && scale ? measuredPath(rows, scale) : null),
    [measuredLive, rows, scale],
  );
  /** The hovered row's step (its tooltip), while that row is drawn. */
  const [hoverStep, setHoverStep] = useState<number | null>(null);

  if (!first || !last) {
    return (
      <figure className="chart step-timeline" data-testid="step-timeline">
        <p className="chart-empty">This step has no nodes.</p>
      </figure>
    );
  }
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

  const hoverIndex = hoverStep === null ? -1 : nearestIndex(steps, hoverStep);
  const hovered = steps[hoverIndex] === hoverStep ? rows[hoverIndex] : undefined;
  const hoveredRow = hovered ? detail.timeline[hovered.index] : undefined;
  const onMouseMove = (e: MouseEvent<HTMLDivElement>) => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!scale || !box || rows.length === 0) return;
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    const { plot } = scale;
    const inside = px >= plot.x && px <= plot.x + plot.width && py >= plot.y && py <= plot.y + plot.height;
    setHoverStep(inside ? (rows[nearestIndex(steps, scale.stepAt(px))]?.step ?? null) : null);
  };
  const tipX = scale && hovered ? scale.x(hovered.step) : null;

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
        ref={frameRef}
        className="st-plot"
        style={{ height: TIMELINE_HEIGHT }}
        tabIndex={0}
        role="group"
        aria-label="Step timeline. Plus and minus zoom, arrow keys pan, 0 resets."
        onKeyDown={onKeyDown}
        onMouseMove={onMouseMove}
        onMouseLeave={() => setHoverStep(null)}
      >
        {scale && (
          <svg
            ref={svgRef}
            className="chart-surface st-svg"
            width={width}
            height={TIMELINE_HEIGHT}
            role="img"
            aria-labelledby="st-caption"
          >
            <PhaseBands bands={shownBands} minLabelled={(to - from) / 12} scale={scale} />
            <PlannedAxes scale={scale} xTicks={xTicks} yTicks={yTicks} xLabel="step (execution order)" />
            <StackedSteps rows={rows} scale={scale} />
            {measuredLine !== null && (
              <path
                className="st-measured"
                d={measuredLine}
                fill="none"
                stroke="var(--measured)"
                strokeDasharray="3 2"
                strokeWidth={1.5}
              />
            )}
            {peakVisible && <PeakMark detail={detail} scale={scale} />}
            {tipX !== null && (
              <line
                className="st-cursor"
                x1={tipX}
                x2={tipX}
                y1={scale.plot.y}
                y2={scale.plot.y + scale.plot.height}
                stroke="var(--muted)"
              />
            )}
          </svg>
        )}
        {tipX !== null && hoveredRow && hovered && (
          <div
            className="pc-tooltip"
            data-testid="st-tooltip"
            style={tooltipPlace(tipX, width, scale?.plot.y ?? 0)}
          >
            <RowTooltip row={hoveredRow} measured={hovered.measured} />
          </div>
        )}
      </div>
      <OverviewBrush totals={totals} peakIndex={peakIndex} range={range} onChange={setRange} />
      <TimelineLegend detail={detail} />
    </figure>
  );
}
