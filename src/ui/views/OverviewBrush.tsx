/**
 * The strip under the step timeline: the whole step's live bytes as one SVG path, and a window over
 * it showing the rows in view. Drag the window to pan, its handles to widen or narrow it, click
 * beside it to centre it there; the handles are sliders for the keyboard (arrows, Page Up/Down).
 * Plain SVG and HTML, not recharts: it redraws with the timeline after every move of a control.
 */
import { useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { downsampleIndices } from './downsample';
import { moveEdge, shiftRange, type Range } from './timelineModel';

/** Points of the strip's path; the viewBox is OVERVIEW_WIDTH wide and stretched to the strip. */
const OVERVIEW_POINTS = 600;
const OVERVIEW_WIDTH = 1000;
const OVERVIEW_HEIGHT = 44;

/** The area under `totals` (one value per row) as a path in the strip's viewBox; the peak kept. */
export function overviewPath(totals: readonly number[], peakIndex: number): string {
  const count = totals.length;
  if (count === 0) return '';
  const picked = downsampleIndices(totals, 0, count - 1, OVERVIEW_POINTS, peakIndex >= 0 ? [peakIndex] : []);
  const max = Math.max(1, ...picked.map((i) => totals[i] as number));
  const x = (i: number) => Math.round(((i + 0.5) / count) * OVERVIEW_WIDTH * 10) / 10;
  const y = (v: number) => Math.round((OVERVIEW_HEIGHT - (v / max) * (OVERVIEW_HEIGHT - 4)) * 10) / 10;
  const line = picked.map((i) => `${x(i)},${y(totals[i] as number)}`).join('L');
  return `M${x(picked[0] as number)},${OVERVIEW_HEIGHT}L${line}L${x(picked.at(-1) as number)},${OVERVIEW_HEIGHT}Z`;
}

type Grab = { kind: 'start' | 'end' | 'window'; x: number; range: Range };

export interface OverviewBrushProps {
  /** Live bytes of every row of the step. */
  totals: readonly number[];
  peakIndex: number;
  range: Range;
  onChange: (range: Range) => void;
}

export function OverviewBrush({ totals, peakIndex, range, onChange }: OverviewBrushProps) {
  const count = totals.length;
  const path = useMemo(() => overviewPath(totals, peakIndex), [totals, peakIndex]);
  const track = useRef<HTMLDivElement>(null);
  const grab = useRef<Grab | null>(null);
  const rowsPerPixel = () => count / Math.max(1, track.current?.getBoundingClientRect().width ?? 1);
  const rowAt = (clientX: number) => {
    const box = track.current?.getBoundingClientRect();
    return box ? ((clientX - box.left) / Math.max(1, box.width)) * count : 0;
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const kind = (e.target as HTMLElement).dataset.grab as Grab['kind'] | undefined;
    if (!kind) {
      // Beside the window: centre it on the row clicked.
      const span = range.end - range.start + 1;
      onChange(shiftRange(range, Math.round(rowAt(e.clientX) - span / 2) - range.start, count));
      return;
    }
    grab.current = { kind, x: e.clientX, range };
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const g = grab.current;
    if (!g) return;
    const rows = Math.round((e.clientX - g.x) * rowsPerPixel());
    if (g.kind === 'window') onChange(shiftRange(g.range, rows, count));
    else
      onChange(moveEdge(g.range, g.kind, (g.kind === 'start' ? g.range.start : g.range.end) + rows, count));
  };
  const onPointerUp = () => {
    grab.current = null;
  };
  const onHandleKey = (edge: 'start' | 'end') => (e: KeyboardEvent<HTMLDivElement>) => {
    const stepRows = Math.max(1, Math.round(count / (e.key.startsWith('Page') ? 10 : 100)));
    const at = edge === 'start' ? range.start : range.end;
    let to: number;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowDown' || e.key === 'PageDown') to = at - stepRows;
    else if (e.key === 'ArrowRight' || e.key === 'ArrowUp' || e.key === 'PageUp') to = at + stepRows;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = count - 1;
    else return;
    e.preventDefault();
    e.stopPropagation();
    onChange(moveEdge(range, edge, to, count));
  };

  const left = count ? (range.start / count) * 100 : 0;
  const width = count ? ((range.end - range.start + 1) / count) * 100 : 100;
  const handle = (edge: 'start' | 'end') => (
    <div
      className={`st-brush-handle st-brush-${edge}`}
      data-grab={edge}
      role="slider"
      tabIndex={0}
      aria-label={edge === 'start' ? 'First visible step' : 'Last visible step'}
      aria-valuemin={0}
      aria-valuemax={Math.max(0, count - 1)}
      aria-valuenow={edge === 'start' ? range.start : range.end}
      onKeyDown={onHandleKey(edge)}
    />
  );
  return (
    <div
      className="st-overview"
      data-testid="st-overview"
      aria-label="Visible steps"
      ref={track}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    >
      <svg
        viewBox={`0 0 ${OVERVIEW_WIDTH} ${OVERVIEW_HEIGHT}`}
        preserveAspectRatio="none"
        aria-hidden="true"
        focusable="false"
      >
        <path d={path} fill="var(--border)" stroke="var(--muted)" vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="st-brush-window" data-grab="window" style={{ left: `${left}%`, width: `${width}%` }}>
        {handle('start')}
        {handle('end')}
      </div>
    </div>
  );
}
