import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../models/build';
import { PRESETS } from '../models/spec';
import { maxBatch } from '../plan/maxBatch';
import { planGraph } from '../plan/plan';
import { testPlanConfig } from '../testing/planConfig';
import { MAX_BATCH, WEBGPU_DEFAULT_LIMITS, type DeviceLimits } from '../vocabulary';
import { curveEnd } from './curveEnd';
import {
  curveBatches,
  limitMaxBatch,
  MAX_CURVE_POINTS,
  MAX_RESERVED_POINTS,
  MAX_RESERVED_POINTS_PAST,
  planCurve,
} from './curves';
import type { CurveRequest } from './types';

const MiB = 2 ** 20;
const model = PRESETS.tiny;
const combo = { strategy: 'view', retention: 'minimal' } as const;
const plan = planGraph(
  buildTrainingGraph({ model, ...combo, chunk: 8, dtype: 'f32', optimizer: 'none', microBatches: 1 }),
  {
    allocator: 'lazy',
    floor: model,
  },
);
const limits: DeviceLimits = { ...WEBGPU_DEFAULT_LIMITS };
const request = (over: Partial<CurveRequest> = {}): CurveRequest => ({
  config: testPlanConfig({ model }),
  combo,
  budgetBytes: 8 * MiB,
  limits,
  minBatch: 1,
  reserved: false,
  ...over,
});

describe('curveBatches', () => {
  it('every batch up to MAX_CURVE_POINTS', () => {
    expect(curveBatches(5, [3])).toEqual([1, 2, 3, 4, 5]);
    expect(curveBatches(MAX_CURVE_POINTS, [])).toHaveLength(MAX_CURVE_POINTS);
  });

  it('past it, at most MAX_CURVE_POINTS ascending batches with 1, the end and every required one', () => {
    const required = [777, 778, 1001, 5000, 0, 20_001];
    const b = curveBatches(20_000, required);
    expect(b.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(b.length).toBeGreaterThan(MAX_CURVE_POINTS - 10);
    expect(b).toEqual([...b].sort((x, y) => x - y));
    expect(new Set(b).size).toBe(b.length);
    for (const r of [1, 777, 778, 1001, 5000, 20_000]) expect(b).toContain(r);
    expect(b).not.toContain(0);
    expect(b).not.toContain(20_001);
  });
});

describe('curveEnd', () => {
  it('the request minimum, a quarter past the budget maximum (+1), at least 8, at most MAX_BATCH', () => {
    expect(curveEnd(0, 1)).toBe(8);
    expect(curveEnd(100, 1)).toBe(126);
    expect(curveEnd(100, 300)).toBe(300);
    expect(curveEnd(MAX_BATCH, 1)).toBe(MAX_BATCH);
  });
});

describe('planCurve', () => {
  it('the budget maximum: its peak fits, the next one does not; maxBatch() agrees', () => {
    const c = planCurve(plan, request());
    expect(c.budgetMaxBatch).toBeGreaterThan(1);
    expect(plan.peakBytes(c.budgetMaxBatch)).toBeLessThanOrEqual(8 * MiB);
    expect(plan.peakBytes(c.budgetMaxBatch + 1)).toBeGreaterThan(8 * MiB);
    expect(c.budgetMaxBatch).toBe(maxBatch(plan, 8 * MiB).batch);
    expect(c.binds).toBe('budget');
    expect(c.maxBatch).toBe(c.budgetMaxBatch);
  });

  it('every batch from 1 to a quarter past the budget maximum, with the plan at each', () => {
    const c = planCurve(plan, request());
    const end = Math.ceil(1.25 * c.budgetMaxBatch) + 1;
    expect(c.points.map((p) => p.batch)).toEqual(Array.from({ length: end }, (_, i) => i + 1));
    for (const p of [c.points[0]!, c.points.at(-1)!]) {
      expect(p.peakBytes).toBe(plan.at(p.batch).peakBytes);
      expect(p.floorBytes).toBe(plan.floorBytes(p.batch));
      expect(p.largestBufferBytes).toBe(plan.at(p.batch).largestBuffer.bytes);
      expect(p.reservedBytes).toBeNull();
    }
  });

  it('reserved bytes when asked: the full plan’s reserved peak at every point of a short curve', () => {
    const c = planCurve(plan, request({ reserved: true, budgetBytes: 2 * MiB }));
    expect(c.points.length).toBeLessThanOrEqual(MAX_RESERVED_POINTS);
    expect(c.reservedPoints).toBe(c.points.length);
    for (const p of c.points) expect(p.reservedBytes).toBe(plan.at(p.batch).reservedPeakBytes);
    expect(planCurve(plan, request()).reservedPoints).toBe(0);
  });

  it('a long curve: reserved bytes at MAX_RESERVED_POINTS batches, the required ones among them', () => {
    const c = planCurve(plan, request({ reserved: true, budgetBytes: 64 * MiB }));
    const withReserved = c.points.filter((p) => p.reservedBytes !== null);
    expect(c.points.at(-1)!.batch).toBe(curveEnd(c.budgetMaxBatch, 1));
    expect(c.points.length).toBeGreaterThan(MAX_RESERVED_POINTS);
    expect(withReserved).toHaveLength(MAX_RESERVED_POINTS);
    expect(c.reservedPoints).toBe(MAX_RESERVED_POINTS);
    const batches = withReserved.map((p) => p.batch);
    for (const b of [1, c.budgetMaxBatch, c.budgetMaxBatch + 1, c.points.at(-1)!.batch])
      expect(batches).toContain(b);
    for (const p of withReserved) expect(p.reservedBytes).toBe(plan.at(p.batch).reservedPeakBytes);
  });

  it('a curve asked past its own end: as many reserved points up to that end, MAX_RESERVED_POINTS_PAST after', () => {
    const short = planCurve(plan, request({ reserved: true, budgetBytes: 12 * MiB }));
    const near = curveEnd(short.budgetMaxBatch, 1);
    const long = planCurve(plan, request({ reserved: true, budgetBytes: 12 * MiB, minBatch: 3 * near }));
    expect(near).toBeGreaterThan(MAX_RESERVED_POINTS); // and 3 × near at most MAX_CURVE_POINTS
    expect(long.points).toHaveLength(3 * near);
    const reserved = (c: typeof long) => c.points.filter((p) => p.reservedBytes !== null).map((p) => p.batch);
    // Up to its own end, the long curve has the short one's reserved points...
    expect(reserved(long).filter((b) => b <= near)).toEqual(reserved(short));
    // ...and after it MAX_RESERVED_POINTS_PAST more, the last batch and the minimum asked among them.
    const past = reserved(long).filter((b) => b > near);
    expect(past).toHaveLength(MAX_RESERVED_POINTS_PAST);
    expect(past).toContain(3 * near);
    expect(long.reservedPoints).toBe(MAX_RESERVED_POINTS + MAX_RESERVED_POINTS_PAST);
    for (const p of long.points.filter((q) => q.reservedBytes !== null))
      expect(p.reservedBytes).toBe(plan.at(p.batch).reservedPeakBytes);
  });

  it('a buffer limit that binds first: the tensor over it at limitMaxBatch + 1', () => {
    const cap = plan.largestBufferBytes(3);
    const small: DeviceLimits = { maxBufferSize: cap, maxStorageBufferBindingSize: cap };
    const c = planCurve(plan, request({ limits: small, budgetBytes: 64 * MiB }));
    expect(c.limitMaxBatch).toBe(limitMaxBatch(plan, cap));
    expect(plan.largestBufferBytes(c.limitMaxBatch)).toBeLessThanOrEqual(cap);
    expect(plan.largestBufferBytes(c.limitMaxBatch + 1)).toBeGreaterThan(cap);
    expect(c.limitTensor).toEqual({
      ...plan.largestBuffer(c.limitMaxBatch + 1),
      limit: 'maxBufferSize',
      limitBytes: cap,
    });
    expect(c.limitTensor!.bytes).toBeGreaterThan(cap);
    expect(c.budgetMaxBatch).toBeGreaterThan(c.limitMaxBatch);
    expect([c.maxBatch, c.binds]).toEqual([c.limitMaxBatch, 'buffer-limit']);
  });

  it('the request’s minimum batch past the budget; sampled when long', () => {
    const c = planCurve(plan, request({ minBatch: 2000 }));
    const batches = c.points.map((p) => p.batch);
    expect(batches.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    for (const b of [1, c.budgetMaxBatch, c.budgetMaxBatch + 1, 2000]) expect(batches).toContain(b);
    expect(batches.at(-1)).toBe(2000);
  });

  it('not even batch 1 fits: budget maximum 0', () => {
    const c = planCurve(plan, request({ budgetBytes: 1000 }));
    expect([c.budgetMaxBatch, c.maxBatch, c.binds]).toEqual([0, 0, 'budget']);
    expect(c.points.map((p) => p.batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
