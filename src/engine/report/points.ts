/**
 * Points built outside a measurement. Types only from the schema: the page's main thread uses
 * this without loading zod (e2e/bundle.spec.ts).
 */
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
