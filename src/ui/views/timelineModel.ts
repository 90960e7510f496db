/** The step timeline's numbers apart from React: phase bands, the visible range, rows to draw. */
import type { StepDetail, TimelineRow } from '../../engine/explore/types';
import { CATEGORIES, type Category, type Phase } from '../../engine/vocabulary';
import { formatBytes } from '../format';
import { downsampleIndices } from './downsample';

/** Above this many rows in view (about 2 px each at 1000 px), the chart draws each bucket's largest row instead; zoom in for every row. */
export const MAX_DRAWN_ROWS = 500;

/** A run of consecutive steps of one phase, from x1 to x2 on the step axis. */
export interface PhaseBand {
  phase: Phase;
  x1: number;
  x2: number;
}

export function phaseBands(rows: readonly TimelineRow[]): PhaseBand[] {
  const bands: PhaseBand[] = [];
  for (const row of rows) {
    const last = bands.at(-1);
    if (last && last.phase === row.phase) last.x2 = row.step + 0.5;
    else bands.push({ phase: row.phase, x1: row.step - 0.5, x2: row.step + 0.5 });
  }
  return bands;
}

/** Bands clipped to the visible steps [from, to]. */
export function visibleBands(bands: readonly PhaseBand[], from: number, to: number): PhaseBand[] {
  return bands
    .filter((b) => b.x2 > from && b.x1 < to)
    .map((b) => ({ ...b, x1: Math.max(b.x1, from), x2: Math.min(b.x2, to) }));
}

/** Visible rows, by index into the timeline, both ends included. */
export interface Range {
  start: number;
  end: number;
}

export function fullRange(count: number): Range {
  return { start: 0, end: Math.max(0, count - 1) };
}

/** At least this many rows stay in view when zooming in. */
const MIN_SPAN = 8;

function spanWithin(span: number, count: number): number {
  return Math.min(Math.max(span, Math.min(MIN_SPAN, count)), count);
}

function clampRange(start: number, span: number, count: number): Range {
  const width = spanWithin(span, count);
  const s = Math.min(Math.max(0, Math.round(start)), count - width);
  return { start: s, end: s + width - 1 };
}

/** Zooms about the range's centre: factor < 1 zooms in, > 1 out. */
export function zoomRange(range: Range, factor: number, count: number): Range {
  if (count < 1) return range;
  const span = range.end - range.start + 1;
  const next = spanWithin(Math.round(span * factor), count);
  const centre = (range.start + range.end) / 2;
  return clampRange(centre - (next - 1) / 2, next, count);
}

/** Moves the range by a fraction of its width (negative: left). */
export function panRange(range: Range, fraction: number, count: number): Range {
  if (count < 1) return range;
  const span = range.end - range.start + 1;
  const shift = Math.sign(fraction) * Math.max(1, Math.round(Math.abs(fraction) * span));
  return clampRange(range.start + shift, span, count);
}

/** A drawn row: the step, each category's live bytes, the total, and the measured live bytes when given. */
export type DrawnRow = { step: number; index: number; total: number; measured?: number } & Record<
  Category,
  number
>;

export function drawnRows(
  detail: StepDetail,
  range: Range,
  measuredLive?: readonly number[],
  maxPoints = MAX_DRAWN_ROWS,
): DrawnRow[] {
  const rows = detail.timeline;
  const totals = rows.map((r) => r.liveBytes);
  const peakIndex = rows.findIndex((r) => r.step === detail.peakStep);
  const indices = downsampleIndices(
    totals,
    range.start,
    range.end,
    maxPoints,
    peakIndex >= 0 ? [peakIndex] : [],
  );
  return indices.map((i) => {
    const r = rows[i] as TimelineRow;
    const drawn = { step: r.step, index: i, total: r.liveBytes } as DrawnRow;
    CATEGORIES.forEach((c, k) => (drawn[c] = r.liveByCategory[k] ?? 0));
    // NaN: a node the measured run has no record of.
    const m = measuredLive?.[i];
    if (m !== undefined && Number.isFinite(m)) drawn.measured = m;
    return drawn;
  });
}

/** "peak 1.23 GiB at block0/attention/softmax". */
export function peakLabel(detail: StepDetail): string {
  return `peak ${formatBytes(detail.peakBytes)} at ${detail.peakNode}`;
}

/** Nearest index of a sorted list of numbers to a value. */
export function nearestIndex(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((sorted[lo - 1] as number) - value) <= Math.abs((sorted[lo] as number) - value))
    return lo - 1;
  return lo;
}

/**
 * Whole-step ticks for the visible range [from, to], about `count` of them at a round spacing
 * (1, 2 or 5 × a power of ten): given to the axis, which then measures no label to thin them.
 */
export function stepTicks(from: number, to: number, count = 8): number[] {
  const span = Math.max(1, to - from);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const spacing = Math.max(1, ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power);
  const ticks: number[] = [];
  // "+ 0" turns the -0 of Math.ceil(-0.5) into 0.
  for (let t = Math.ceil(from / spacing) * spacing + 0; t <= to; t += spacing) ticks.push(t);
  return ticks;
}

/** The range with one edge moved to row `to`, keeping at least MIN_SPAN rows (or all, if fewer). */
export function moveEdge(range: Range, edge: 'start' | 'end', to: number, count: number): Range {
  if (count < 1) return range;
  const min = Math.min(MIN_SPAN, count);
  const row = Math.min(Math.max(0, Math.round(to)), count - 1);
  if (edge === 'start') return { start: Math.max(0, Math.min(row, range.end - min + 1)), end: range.end };
  return { start: range.start, end: Math.min(count - 1, Math.max(row, range.start + min - 1)) };
}

/** The range moved by `rows` (negative: left), its width kept, within [0, count − 1]. */
export function shiftRange(range: Range, rows: number, count: number): Range {
  if (count < 1) return range;
  return clampRange(range.start + rows, range.end - range.start + 1, count);
}
