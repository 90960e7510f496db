import { describe, expect, it } from 'vitest';
import { batchX } from './PlannedLines';
import { linearTicks, nearestBatch, PLOT_MARGIN, plotScale } from './plotScale';

describe('plotScale', () => {
  it('a log-2 batch axis from 1 and a bytes axis from 0, inside the margins', () => {
    const s = plotScale(600, 360, { log: true, lastBatch: 256, yMax: 8e9 })!;
    const { plot } = s;
    expect(plot).toEqual({
      x: PLOT_MARGIN.left,
      y: PLOT_MARGIN.top,
      width: 600 - PLOT_MARGIN.left - PLOT_MARGIN.right,
      height: 360 - PLOT_MARGIN.top - PLOT_MARGIN.bottom,
    });
    expect(s.x(1)).toBe(plot.x);
    expect(s.x(256)).toBeCloseTo(plot.x + plot.width, 9);
    expect(s.x(16)).toBeCloseTo(plot.x + plot.width / 2, 9);
    expect(s.y(0)).toBe(plot.y + plot.height);
    expect(s.y(8e9)).toBeCloseTo(plot.y, 9);
    expect(s.batchAt(s.x(37))).toBeCloseTo(37, 9);
    // The paths (PlannedLines' batchX) land where the scale puts each batch.
    for (const b of [1, 3, 64, 200]) expect(batchX(s.fix, b)).toBeCloseTo(s.x(b), 9);
  });

  it('a linear batch axis from 0', () => {
    const s = plotScale(600, 360, { log: false, lastBatch: 200, yMax: 1 })!;
    expect(s.x(0)).toBe(s.plot.x);
    expect(s.x(100)).toBeCloseTo(s.plot.x + s.plot.width / 2, 9);
    expect(s.batchAt(s.x(150))).toBeCloseTo(150, 9);
    for (const b of [1, 3, 64, 200]) expect(batchX(s.fix, b)).toBeCloseTo(s.x(b), 9);
  });

  it('none without room or without a range', () => {
    expect(plotScale(0, 360, { log: true, lastBatch: 256, yMax: 1 })).toBeNull();
    expect(plotScale(600, 360, { log: true, lastBatch: 1, yMax: 1 })).toBeNull();
    expect(plotScale(600, 360, { log: true, lastBatch: 8, yMax: 0 })).toBeNull();
  });
});

describe('linearTicks', () => {
  it('about five whole, evenly spaced ticks from 0 within the axis', () => {
    expect(linearTicks(239)).toEqual([0, 50, 100, 150, 200]);
    expect(linearTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(linearTicks(3)).toEqual([0, 1, 2, 3]);
    expect(linearTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(linearTicks(0)).toEqual([0]);
  });
});

describe('nearestBatch', () => {
  it('the drawn batch whose x is nearest the pointer', () => {
    const s = plotScale(600, 360, { log: true, lastBatch: 256, yMax: 1 })!;
    const drawn = [1, 2, 4, 8, 16, 64, 256];
    expect(nearestBatch(s, drawn, s.x(60))).toBe(64);
    expect(nearestBatch(s, drawn, s.x(30))).toBe(16);
    expect(nearestBatch(s, drawn, s.x(33))).toBe(64);
    expect(nearestBatch(s, drawn, 0)).toBe(1);
    expect(nearestBatch(s, drawn, 10_000)).toBe(256);
    expect(nearestBatch(s, [], 100)).toBeNull();
  });
});
