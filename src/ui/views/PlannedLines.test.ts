import { describe, expect, it } from 'vitest';
import type { PlannedRow } from './chartRows';
import { batchX, linePath, seriesPoints } from './PlannedLines';
import type { ScaleFix } from './plotScale';

// A log-2 x axis over batches 1..64 on 600 px (100 px per doubling) and a y axis of 0..1000 bytes
// on 400 px, pointing up: what the chart's scales would give.
const logFix: ScaleFix = { log: true, x1: 0, x2: 100, y0: 400, y1: 399.6 };
// The same plot with a linear x axis over 0..60 batches (10 px a batch, batch 1 at x 10).
const linearFix: ScaleFix = { log: false, x1: 10, x2: 20, y0: 400, y1: 399.6 };

describe('planned lines', () => {
  it('places batches as the log-2 and the linear axis do', () => {
    expect(batchX(logFix, 1)).toBe(0);
    expect(batchX(logFix, 8)).toBe(300);
    expect(batchX(logFix, 64)).toBe(600);
    expect(batchX(logFix, 12)).toBeCloseTo(100 * Math.log2(12), 9);
    expect(batchX(linearFix, 0)).toBe(0);
    expect(batchX(linearFix, 60)).toBe(600);
  });

  it('takes each series over the rows where it has a value, connecting the gaps', () => {
    const rows = [
      { batch: 1, a: 100, b: 5 },
      { batch: 2, b: 6 },
      { batch: 4, a: 300 },
    ] as PlannedRow[];
    expect(seriesPoints(rows, 'a')).toEqual({ batches: [1, 4], bytes: [100, 300] });
    expect(seriesPoints(rows, 'b')).toEqual({ batches: [1, 2], bytes: [5, 6] });
    expect(seriesPoints(rows, 'c')).toEqual({ batches: [], bytes: [] });
  });

  it('draws straight segments through the points, in pixels to 1/100', () => {
    // Bytes 0, 500, 1000 sit at y 400, 200, 0; batches 1, 2, 64 at x 0, 100, 600.
    expect(linePath([1, 2, 64], [0, 500, 1000], logFix)).toBe('M0,400L100,200L600,0');
    // Batch 3 on the log axis: 100·log2(3) = 158.496… px.
    expect(linePath([3], [250], logFix)).toBe('M158.5,300');
    expect(linePath([0, 30], [0, 1000], linearFix)).toBe('M0,400L300,0');
    expect(linePath([], [], logFix)).toBe('');
  });
});
