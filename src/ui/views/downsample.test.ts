import { describe, expect, it } from 'vitest';
import { downsampleIndices } from './downsample';

describe('downsampleIndices', () => {
  it('keeps every row when few are in view', () => {
    expect(downsampleIndices([5, 1, 7, 3], 0, 3, 10)).toEqual([0, 1, 2, 3]);
    expect(downsampleIndices([5, 1, 7, 3], 1, 2, 10)).toEqual([1, 2]);
  });

  it("keeps each bucket's largest row, the range's ends, and at most about maxPoints rows", () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1000);
    const kept = downsampleIndices(values, 0, 4999, 1500);
    expect(kept.length).toBeLessThanOrEqual(1500);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(4999);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    // Every kept interior row is the maximum of the rows between its neighbours' buckets.
    expect(Math.max(...kept.map((i) => values[i]!))).toBe(Math.max(...values));
  });

  it('never drops the peak, even when it is not a bucket maximum by value ties', () => {
    const values = Array.from({ length: 4000 }, () => 10);
    values[1234] = 10; // a tie: the first of the bucket would win
    const kept = downsampleIndices(values, 0, 3999, 100, [1234]);
    expect(kept).toContain(1234);
    const spike = Array.from({ length: 4000 }, (_, i) => i % 50);
    spike[2718] = 1e9;
    expect(downsampleIndices(spike, 0, 3999, 200)).toContain(2718);
  });

  it('only keeps kept rows inside the range and clamps the range', () => {
    const values = Array.from({ length: 3000 }, (_, i) => i % 10);
    const kept = downsampleIndices(values, 1000, 2999, 100, [10]);
    expect(kept).not.toContain(10);
    expect(kept[0]).toBe(1000);
    expect(downsampleIndices(values, -5, 1e9, 5000)).toHaveLength(3000);
    expect(downsampleIndices([], 0, 10, 5)).toEqual([]);
  });
});
