/**
 * Points built outside a measurement. Types only from the schema: the page's main thread uses
 * this without loading zod (e2e/bundle.spec.ts).
 */
import { isSkipCode } from '../vocabulary';
import type { Point, PointError } from './schema';

/** Which point: strategy, retention and batch. */
export type PointId = Pick<Point, 'strategy' | 'retention' | 'batch'>;

/** A point with no measurement and the reason why (skipped, cancelled or failed). */
export function unmeasuredPoint(id: PointId, code: PointError['code'], message: string): Point {
  return {
    strategy: id.strategy,
    retention: id.retention,
    batch: id.batch,
    predicted: null,
    measured: null,
    error: { code, message },
  };
}

/** How a point of a sweep ended: measured, skipped before running (from its plan), or failed. */
export type PointOutcome = 'measured' | 'skipped' | 'failed';

export function outcomeOf(p: Point): PointOutcome {
  if (p.measured) return 'measured';
  return p.error && isSkipCode(p.error.code) ? 'skipped' : 'failed';
}
