import { describe, expect, it } from 'vitest';
import type { Curve } from '../../engine/explore/types';
import { cutCurves, shownEnds } from './shownCurves';

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

describe('shownEnds', () => {
  it('each curve to the reach and a quarter past its own budget max batch (+1), within its points', () => {
    const curves = [curve('copy', 40), curve('view', 157), curve('fused', 3, 8)];
    // 1.25 × 157 + 1 → 198; 1.25 × 40 + 1 = 51 is below the reach.
    expect(shownEnds(curves, 64)).toEqual([64, 198, 8]);
    expect(shownEnds(curves, 128)).toEqual([128, 198, 8]);
    expect(shownEnds(curves, 1024)).toEqual([512, 512, 8]);
    expect(shownEnds(curves, 8)).toEqual([51, 198, 8]);
  });
});

describe('cutCurves', () => {
  it('cuts each curve at its end, recounting its reserved points, and keeps the rest of it', () => {
    const [a, b] = cutCurves([curve('copy', 40), curve('view', 157)], [64, 198]);
    expect(a!.points.map((p) => p.batch)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    expect(a!.reservedPoints).toBe(32);
    expect(b!.points.at(-1)!.batch).toBe(198);
    expect(b!.reservedPoints).toBe(99);
    expect(a).toMatchObject({ budgetMaxBatch: 40, maxBatch: 40, binds: 'budget' });
  });

  it('returns a curve that ends by then as the same object', () => {
    const short = curve('fused', 3, 8);
    const [c] = cutCurves([short], [8]);
    expect(c).toBe(short);
  });
});
