/**
 * The planned chart's numbers, worked out apart from React: rows per batch, values between sampled
 * batches, curves that coincide, floor lines, axis ticks and markers.
 */
import { comboKey, type Combo, type Curve, type CurvePoint } from '../../engine/explore/types';

/** A measured point drawn over the plan: what was measured, and what its plan said. */
export interface MeasuredMark {
  combo: Combo;
  batch: number;
  measuredBytes: number;
  plannedBytes: number;
}

/** live: peak bytes of tensors in use; reserved: peak bytes of the allocator's pool. */
export type Metric = 'live' | 'reserved';

export function pointValue(p: CurvePoint, metric: Metric): number | null {
  return metric === 'live' ? p.peakBytes : p.reservedBytes;
}

/** A curve's bytes at a batch: exact when the batch was planned, else interpolated between its neighbours. */
export interface ValueAt {
  bytes: number;
  exact: boolean;
}

/** Index of the last point whose batch is ≤ batch (-1: none). Points ascend by batch. */
function lastAtOrBelow(points: readonly CurvePoint[], batch: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as CurvePoint).batch <= batch) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function valueAt(
  curve: Curve,
  batch: number,
  metric: Metric,
  pick: (p: CurvePoint) => number | null = (p) => pointValue(p, metric),
): ValueAt | null {
  const i = lastAtOrBelow(curve.points, batch);
  const below = curve.points[i];
  if (!below) return null;
  const belowValue = pick(below);
  if (belowValue === null) return null;
  if (below.batch === batch) return { bytes: belowValue, exact: true };
  const above = curve.points[i + 1];
  const aboveValue = above ? pick(above) : null;
  if (!above || aboveValue === null) return null;
  const t = (batch - below.batch) / (above.batch - below.batch);
  return { bytes: Math.round(belowValue + t * (aboveValue - belowValue)), exact: false };
}

/** A chart row: the batch, then each series' bytes at it (absent where a curve was not sampled). */
export type PlannedRow = { batch: number } & { [series: string]: number | undefined };

/** Curves whose values are equal at every planned batch, drawn as one legend entry. */
export interface CurveGroup {
  keys: string[];
  combos: Combo[];
}

/** Whether `curve` has a value at every point (a curve without one coincides with no other). */
function complete(curve: Curve, pick: (p: CurvePoint) => number | null): boolean {
  return curve.points.every((p) => pick(p) !== null);
}

/** The same batches with the same values (compared in place: this runs on every redraw). */
function samePoints(a: Curve, b: Curve, pick: (p: CurvePoint) => number | null): boolean {
  if (a.points.length !== b.points.length) return false;
  return a.points.every((p, i) => {
    const q = b.points[i] as CurvePoint;
    return p.batch === q.batch && pick(p) === pick(q);
  });
}

function groupIdentical(curves: readonly Curve[], pick: (p: CurvePoint) => number | null): Curve[][] {
  const groups: Curve[][] = [];
  const alone: Curve[][] = [];
  for (const c of curves) {
    if (!complete(c, pick)) {
      alone.push([c]);
      continue;
    }
    const group = groups.find((g) => samePoints(g[0] as Curve, c, pick));
    if (group) group.push(c);
    else groups.push([c]);
  }
  return [...groups, ...alone];
}

/** Groups of curves that coincide at every point, in the curves' order (singletons included). */
export function coincidentGroups(curves: readonly Curve[], metric: Metric): CurveGroup[] {
  const order = new Map(curves.map((c, i) => [c, i]));
  return groupIdentical(curves, (p) => pointValue(p, metric))
    .sort((a, b) => (order.get(a[0] as Curve) ?? 0) - (order.get(b[0] as Curve) ?? 0))
    .map((g) => ({ keys: g.map((c) => comboKey(c.combo)), combos: g.map((c) => c.combo) }));
}

/** "copy/minimal = view/minimal". */
export function groupLabel(group: CurveGroup): string {
  return group.keys.join(' = ');
}

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Why a group coincides, when we know; null for a single curve. */
export function coincidenceNote(group: CurveGroup): string | null {
  if (group.keys.length < 2) return null;
  const strategies = new Set(group.combos.map((c) => c.strategy));
  const retentions = new Set(group.combos.map((c) => c.retention));
  const copyAndView = strategies.size === 2 && strategies.has('copy') && strategies.has('view');
  if (copyAndView && retentions.size === 1 && retentions.has('minimal')) {
    return `${listed(group.keys)} coincide: under minimal retention the copies are freed before the peak`;
  }
  return `${listed(group.keys)} coincide at every planned batch`;
}

/** A floor line: one for all curves when their floors agree, else one per group of equal floors. */
export interface FloorSeries {
  key: string;
  label: string;
  curve: Curve;
}

export function floorSeries(curves: readonly Curve[]): FloorSeries[] {
  const groups = groupIdentical(
    curves.filter((c) => c.points.some((p) => p.floorBytes !== null)),
    (p) => p.floorBytes,
  );
  if (groups.length === 1)
    return [{ key: 'floor', label: 'floor', curve: (groups[0] as Curve[])[0] as Curve }];
  return groups.map((g, i) => ({
    key: `floor:${i}`,
    label: `floor (${g.map((c) => comboKey(c.combo)).join(', ')})`,
    curve: g[0] as Curve,
  }));
}

/** At most this many batches are drawn; tooltips and the data table read every planned batch. */
export const MAX_DRAWN_BATCHES = 96;

/**
 * The batches the chart draws: every planned batch when there are few, else about
 * MAX_DRAWN_BATCHES spread evenly on the log-2 axis and on the linear one, the powers of two
 * (the log axis' ticks), plus every curve's
 * first and last batch and its max batch and the one after (where a line crosses the budget).
 */
export function drawnBatches(curves: readonly Curve[]): Set<number> {
  const all = new Set<number>();
  for (const c of curves) for (const p of c.points) all.add(p.batch);
  if (all.size <= MAX_DRAWN_BATCHES) return all;
  const sorted = [...all].sort((a, b) => a - b);
  const last = sorted.at(-1) as number;
  const keep = new Set<number>();
  const nearest = (target: number) => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    keep.add(sorted[lo] as number);
  };
  const n = MAX_DRAWN_BATCHES / 2;
  for (let i = 0; i <= n; i++) {
    nearest(2 ** ((Math.log2(last) * i) / n));
    nearest(1 + ((last - 1) * i) / n);
  }
  for (let b = 1; b <= last; b *= 2) if (all.has(b)) keep.add(b);
  for (const c of curves) {
    for (const b of [c.points[0]?.batch, c.points.at(-1)?.batch, c.maxBatch, c.maxBatch + 1]) {
      if (b !== undefined && all.has(b)) keep.add(b);
    }
  }
  return keep;
}

/** One row per drawn batch (drawnBatches), ascending. */
export function plannedRows(
  curves: readonly Curve[],
  metric: Metric,
  floors: readonly FloorSeries[],
): PlannedRow[] {
  const drawn = drawnBatches(curves);
  const rows = new Map<number, PlannedRow>();
  const rowAt = (batch: number): PlannedRow => {
    let row = rows.get(batch);
    if (!row) {
      row = { batch } as PlannedRow;
      rows.set(batch, row);
    }
    return row;
  };
  for (const c of curves) {
    const key = comboKey(c.combo);
    for (const p of c.points) {
      if (!drawn.has(p.batch)) continue;
      const v = pointValue(p, metric);
      if (v !== null) rowAt(p.batch)[key] = v;
    }
  }
  for (const f of floors) {
    for (const p of f.curve.points) {
      if (drawn.has(p.batch) && p.floorBytes !== null) rowAt(p.batch)[f.key] = p.floorBytes;
    }
  }
  return [...rows.values()].sort((a, b) => a.batch - b.batch);
}

/** The largest value the chart must show. */
export function maxBytes(rows: readonly PlannedRow[], extra: readonly number[]): number {
  let max = 0;
  for (const row of rows) {
    for (const k in row) if (k !== 'batch') max = Math.max(max, row[k] ?? 0);
  }
  for (const v of extra) if (Number.isFinite(v)) max = Math.max(max, v);
  return max;
}

/** Powers of two from 1 up to at least `last`: the log-2 axis' ticks. */
export function log2Ticks(last: number): number[] {
  const ticks = [1];
  while ((ticks.at(-1) as number) < last) ticks.push((ticks.at(-1) as number) * 2);
  return ticks;
}

/** Where a curve's max batch sits on the chart, and what binds it. */
export interface MaxBatchMarker {
  key: string;
  batch: number;
  bytes: number;
  exact: boolean;
  binds: Curve['binds'];
}

export function maxBatchMarkers(curves: readonly Curve[], metric: Metric): MaxBatchMarker[] {
  const markers: MaxBatchMarker[] = [];
  for (const c of curves) {
    if (c.maxBatch < 1) continue;
    const v = valueAt(c, c.maxBatch, metric);
    if (v)
      markers.push({
        key: comboKey(c.combo),
        batch: c.maxBatch,
        bytes: v.bytes,
        exact: v.exact,
        binds: c.binds,
      });
  }
  return markers;
}
