/**
 * A combination's curve: planned peak (and optionally reserved) bytes against the batch, from
 * batch 1 to past the budget, with the largest batch the budget allows, the largest the device's
 * buffer limits allow, and which of the two binds. Every point is the plan's fast peak
 * (plan/peakIndex.ts), so a curve of hundreds of points costs about a millisecond.
 */
import { maxBatch } from '../plan/maxBatch';
import type { GraphPlan } from '../plan/plan';
import { curveEnd } from './curveEnd';
import { bufferLimit, MAX_BATCH } from '../vocabulary';
import type { Curve, CurvePoint, CurveRequest } from './types';

/** A curve samples at most this many batches; up to it, every batch. */
export const MAX_CURVE_POINTS = 512;

/**
 * Reserved bytes walk every step (plan/reserved.ts, tens of microseconds a batch), so a curve
 * computes them at this many of its batches at most: the required ones and evenly spaced others.
 * The other points' reservedBytes stay null; nothing is interpolated.
 */
export const MAX_RESERVED_POINTS = 64;

/** The largest batch (up to MAX_BATCH) whose every buffer is at most `capBytes`; 0 if not batch 1. */
export function limitMaxBatch(plan: GraphPlan, capBytes: number): number {
  const within = (b: number) => plan.largestBufferBytes(b) <= capBytes;
  let lo = 0;
  let hi = 1;
  while (hi <= MAX_BATCH && within(hi)) {
    lo = hi;
    hi *= 2;
  }
  // The largest buffer never shrinks as the batch grows: the largest fitting batch is in [lo, hi).
  return binarySearch(within, lo, Math.min(hi, MAX_BATCH + 1));
}

/** The largest b in [lo, hi) with ok(b), given ok(lo) (or lo = 0) and !ok(hi). */
function binarySearch(ok: (b: number) => boolean, lo: number, hi: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The batches a curve samples, ascending: every batch from 1 to `last` when that is at most
 * MAX_CURVE_POINTS, else evenly spaced ones plus every batch in `required` (those within range).
 */
export function curveBatches(last: number, required: readonly number[]): number[] {
  if (last <= MAX_CURVE_POINTS) return Array.from({ length: last }, (_, i) => i + 1);
  const keep = new Set(required.filter((b) => Number.isInteger(b) && b >= 1 && b <= last));
  keep.add(1);
  keep.add(last);
  const spaced = MAX_CURVE_POINTS - keep.size;
  for (let i = 0; i < spaced && keep.size < MAX_CURVE_POINTS; i++)
    keep.add(1 + Math.round(((last - 1) * i) / (spaced - 1)));
  return [...keep].sort((a, b) => a - b);
}

/**
 * Past the end a curve would have for the smallest request (a quarter past the budget's max batch),
 * reserved bytes at this many more batches: the page asks for curves over the whole batch slider,
 * and the part it usually shows keeps MAX_RESERVED_POINTS of its own.
 */
export const MAX_RESERVED_POINTS_PAST = 32;

/**
 * Which of `batches` (ascending) get reserved bytes: all when few, else `required` and evenly
 * spaced ones, at most `max` (more when `required` has more).
 */
export function reservedBatches(
  batches: readonly number[],
  required: readonly number[],
  max = MAX_RESERVED_POINTS,
): Set<number> {
  if (batches.length <= max) return new Set(batches);
  const present = new Set(batches);
  const keep = new Set(required.filter((b) => present.has(b)));
  keep.add(batches[0]!);
  keep.add(batches.at(-1)!);
  // Evenly spaced picks, finer until `max` are kept (a pick may repeat a kept one).
  const n = batches.length;
  for (let spaced = max - keep.size; keep.size < max; spaced++)
    for (let i = 0; i < spaced && keep.size < max; i++)
      keep.add(batches[Math.round(((n - 1) * i) / Math.max(1, spaced - 1))]!);
  return keep;
}

/**
 * The reserved batches of a curve: MAX_RESERVED_POINTS up to `near` (where the curve would end for
 * the smallest request), MAX_RESERVED_POINTS_PAST after it, the required ones among them.
 */
function reservedPicks(batches: readonly number[], required: readonly number[], near: number): Set<number> {
  const past = batches.findIndex((b) => b > near);
  if (past < 0) return reservedBatches(batches, required);
  const keep = reservedBatches(batches.slice(0, past), required);
  for (const b of reservedBatches(batches.slice(past), required, MAX_RESERVED_POINTS_PAST)) keep.add(b);
  return keep;
}

/**
 * Which constraint stops batch max + 1. On a tie it breaks both and, as maxBatch() (plan/maxBatch.ts)
 * reports it, the buffer limit is named; a limit never met below MAX_BATCH binds nothing.
 */
function bindingConstraint(budget: number, limit: number): Curve['binds'] {
  return limit < budget || (limit === budget && limit < MAX_BATCH) ? 'buffer-limit' : 'budget';
}

/** The curve of `plan` for `req`; `spentMs` (building the plan) is added to its planMs. */
export function planCurve(plan: GraphPlan, req: CurveRequest, spentMs = 0): Curve {
  const start = performance.now();
  const budget = maxBatch(plan, req.budgetBytes).batch;
  const cap = bufferLimit(req.limits);
  const limit = limitMaxBatch(plan, cap.bytes);
  const broken = limit < MAX_BATCH ? plan.largestBuffer(limit + 1) : null;
  const last = curveEnd(budget, req.minBatch);
  const required = [budget, budget + 1, limit, limit + 1, req.minBatch];
  const batches = curveBatches(last, required);
  const withReserved = req.reserved
    ? reservedPicks(batches, required, curveEnd(budget, 1))
    : new Set<number>();
  const points = batches.map((batch): CurvePoint => ({
    batch,
    peakBytes: plan.peakBytes(batch),
    reservedBytes: withReserved.has(batch) ? plan.reservedPeakBytes(batch) : null,
    floorBytes: plan.floorBytes(batch),
    largestBufferBytes: plan.largestBufferBytes(batch),
  }));
  return {
    combo: req.combo,
    points,
    reservedPoints: withReserved.size,
    budgetMaxBatch: budget,
    limitMaxBatch: limit,
    limitTensor: broken
      ? { tensor: broken.tensor, bytes: broken.bytes, limit: cap.name, limitBytes: cap.bytes }
      : null,
    maxBatch: Math.min(budget, limit),
    binds: bindingConstraint(budget, limit),
    planMs: spentMs + (performance.now() - start),
  };
}
