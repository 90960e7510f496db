import { describe, expect, it } from 'vitest';
import type { Curve } from '../../engine/explore/types';
import { cutCurves, shownEnd } from './shownCurves';

/** A curve over every batch 1..last with the given budget max batch (bytes: 10 per sample). */
function curve(strategy: Curve['combo']['strategy'], budgetMaxBatch: number, last = 512): Curve {
  const points = Array.from({ length: last }, (_, i) => ({
    batch: i + 1,
    peakBytes: 10 * (i + 1),
    reservedBytes: i % 2 === 0 ? 12 * (i + 1) : null,
    floorBytes: 5 * (i + 1),
    largestBufferBytes: i + 1,
  }));
  return {
    combo: { strategy, retention: 'minimal' },
    points,
    reservedPoints: Math.ceil(last / 2),
    budgetMaxBatch,
    limitMaxBatch: 2 ** 20,
    limitTensor: null,
    maxBatch: budgetMaxBatch,
    binds: 'budget',
    planMs: 1,
  };
}

describe('shownEnd', () => {
  it('a quarter past the largest budget max batch (+1), at least the reach', () => {
    const curves = [curve('copy', 40), curve('view', 157)];
    expect(shownEnd(curves, 64)).toBe(Math.ceil(1.25 * 157) + 1);
    expect(shownEnd(curves, 128)).toBe(198);
    expect(shownEnd(curves, 256)).toBe(256);
    expect(shownEnd([curve('copy', 2)], 8)).toBe(8);
    expect(shownEnd([], 64)).toBe(0);
  });
});

describe('cutCurves', () => {
  it('cuts every curve at the end, recounting its reserved points, and keeps the rest of it', () => {
    const [a, b] = cutCurves([curve('copy', 40), curve('view', 157)], 197);
    for (const c of [a!, b!]) {
      expect(c.points.map((p) => p.batch)).toEqual(Array.from({ length: 197 }, (_, i) => i + 1));
      expect(c.reservedPoints).toBe(99);
    }
    expect(a).toMatchObject({ budgetMaxBatch: 40, maxBatch: 40, binds: 'budget' });
  });

  it('returns a curve that ends by then as the same object', () => {
    const short = curve('fused', 3, 8);
    const [c] = cutCurves([short], 8);
    expect(c).toBe(short);
  });
});
