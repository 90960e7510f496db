/** Naming and choosing the points of a report: `view/minimal@8`, and the point to show by default. */
import { RETENTION_NAMES, STRATEGY_NAMES } from '../../vocabulary';
import type { Report } from '../report';
import type { OpRecord, Point } from '../schema';

/** A point as people write it: `strategy/retention@batch`. */
export function pointRef(p: Pick<Point, 'strategy' | 'retention' | 'batch'>): string {
  return `${p.strategy}/${p.retention}@${p.batch}`;
}

/** A point reference that is malformed or names no point of the report. */
export class PointRefError extends Error {
  override readonly name = 'PointRefError';
}

const SHOWN = 8;

/** The point `ref` ("view/minimal@8") names in `r`; a PointRefError says what is wrong and what exists. */
export function pointOf(r: Report, ref: string): Point {
  const m = /^([^/@\s]+)\/([^/@\s]+)@([^/@\s]+)$/.exec(ref.trim());
  if (!m)
    throw new PointRefError(
      `a point is written strategy/retention@batch (e.g. view/minimal@8), got ${JSON.stringify(ref)}`,
    );
  const [, strategy, retention, batchText] = m as unknown as [string, string, string, string];
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy))
    throw new PointRefError(
      `unknown strategy ${JSON.stringify(strategy)} in ${JSON.stringify(ref)}: one of ${STRATEGY_NAMES.join(', ')}`,
    );
  if (!(RETENTION_NAMES as readonly string[]).includes(retention))
    throw new PointRefError(
      `unknown retention ${JSON.stringify(retention)} in ${JSON.stringify(ref)}: one of ${RETENTION_NAMES.join(', ')}`,
    );
  const batch = /^[0-9]+$/.test(batchText) ? Number(batchText) : NaN;
  if (!Number.isSafeInteger(batch) || batch < 1)
    throw new PointRefError(`the batch in ${JSON.stringify(ref)} must be a positive integer`);
  const found = r.points.find(
    (p) => p.strategy === strategy && p.retention === retention && p.batch === batch,
  );
  if (found) return found;
  if (r.points.length === 0)
    throw new PointRefError(`no point ${strategy}/${retention}@${batch}: the report has no points`);
  const refs = r.points.slice(0, SHOWN).map(pointRef).join(', ');
  const more = r.points.length > SHOWN ? ` and ${r.points.length - SHOWN} more` : '';
  throw new PointRefError(`no point ${strategy}/${retention}@${batch} in the report; it has ${refs}${more}`);
}

/** The point shown when none is asked for, and why it was chosen. */
export interface DefaultPoint {
  point: Point;
  /** `measured`: the largest measured peak live bytes; `planned`: no point is measured, the largest planned peak. */
  by: 'measured' | 'planned';
  peakBytes: number;
}

/** The point with the largest measured peak, else the largest planned peak; null if neither exists. */
export function defaultPoint(r: Report): DefaultPoint | null {
  let best: DefaultPoint | null = null;
  for (const point of r.points)
    if (point.measured && (!best || point.measured.peakLiveBytes > best.peakBytes))
      best = { point, by: 'measured', peakBytes: point.measured.peakLiveBytes };
  if (best) return best;
  for (const point of r.points)
    if (point.predicted && (!best || point.predicted.peakBytes > best.peakBytes))
      best = { point, by: 'planned', peakBytes: point.predicted.peakBytes };
  return best;
}

/** Live bytes before each op and during it (before its frees), from the op records alone. */
export function liveDuring(ops: readonly OpRecord[]): { before: number[]; during: number[] } {
  const before: number[] = [];
  const during: number[] = [];
  ops.forEach((o, i) => {
    // The first op starts from what exists before the step: its live bytes after, undone.
    const b = i === 0 ? o.liveBytesAfter - o.allocBytes + o.freedBytes : ops[i - 1]!.liveBytesAfter;
    before.push(b);
    during.push(b + o.allocBytes);
  });
  return { before, during };
}

/** The step's peak live bytes and the node during which it occurs (the first, on a tie). */
export function stepPeak(ops: readonly OpRecord[]): { bytes: number; node: string | null } {
  const { during } = liveDuring(ops);
  let at = -1;
  during.forEach((d, i) => {
    if (at < 0 || d > during[at]!) at = i;
  });
  return at < 0 ? { bytes: 0, node: null } : { bytes: during[at]!, node: ops[at]!.node };
}

/** The op records of one side of a point, or an error naming the point and what it lacks. */
export function opsOf(point: Point, which: 'predicted' | 'measured'): OpRecord[] {
  const side = point[which];
  if (!side) {
    const id = `${point.strategy}/${point.retention}@${point.batch}`;
    const why = point.error ? ` (${point.error.code}: ${point.error.message})` : '';
    throw new Error(`point ${id} has no ${which === 'predicted' ? 'plan' : 'measurement'}${why}`);
  }
  return side.ops;
}
