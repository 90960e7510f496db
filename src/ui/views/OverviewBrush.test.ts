import { describe, expect, it } from 'vitest';
import { overviewPath } from './OverviewBrush';

/** The path's points, as [x, y] in the strip's 1000 × 44 viewBox. */
const points = (d: string) =>
  d
    .slice(1, -1)
    .split('L')
    .map((p) => p.split(',').map(Number));

describe('overviewPath', () => {
  it('closes the area under every row of a short step, the largest at the top', () => {
    // 4 rows: x at the middle of each quarter; y = 44 − v / max × 40.
    expect(points(overviewPath([0, 10, 20, 5], 2))).toEqual([
      [125, 44],
      [125, 44],
      [375, 24],
      [625, 4],
      [875, 34],
      [875, 44],
    ]);
  });
  it('keeps the peak of a long step', () => {
    const totals = Array.from({ length: 10_000 }, (_, i) => (i === 4321 ? 1e9 : i));
    const ys = points(overviewPath(totals, 4321)).map(([, y]) => y as number);
    expect(Math.min(...ys)).toBe(4);
    expect(ys.length).toBeLessThanOrEqual(602);
  });
  it('is empty for a step without rows', () => {
    expect(overviewPath([], -1)).toBe('');
  });
});
