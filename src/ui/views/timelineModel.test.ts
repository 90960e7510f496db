import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../engine/vocabulary';
import { FIXTURE_STEP, syntheticTimeline } from './fixtures';
import {
  drawnRows,
  fullRange,
  MAX_DRAWN_ROWS,
  moveEdge,
  nearestIndex,
  panRange,
  peakLabel,
  phaseBands,
  shiftRange,
  stepTicks,
  visibleBands,
  zoomRange,
} from './timelineModel';

describe('phase bands', () => {
  it('groups consecutive steps of one phase', () => {
    expect(phaseBands(FIXTURE_STEP.timeline)).toEqual([
      { phase: 'forward', x1: -0.5, x2: 6.5 },
      { phase: 'backward', x1: 6.5, x2: 8.5 },
      { phase: 'recompute', x1: 8.5, x2: 9.5 },
      { phase: 'backward', x1: 9.5, x2: 11.5 },
    ]);
    expect(visibleBands(phaseBands(FIXTURE_STEP.timeline), 7, 9)).toEqual([
      { phase: 'backward', x1: 7, x2: 8.5 },
      { phase: 'recompute', x1: 8.5, x2: 9 },
    ]);
  });
});

describe('drawn rows', () => {
  it('draws every row of a short step with exact per-category bytes', () => {
    const rows = drawnRows(FIXTURE_STEP, fullRange(FIXTURE_STEP.timeline.length), [1, 2, 3]);
    expect(rows).toHaveLength(FIXTURE_STEP.timeline.length);
    const peak = rows[FIXTURE_STEP.peakStep]!;
    expect(CATEGORIES.reduce((s, c) => s + peak[c], 0)).toBe(FIXTURE_STEP.peakBytes);
    expect(peak.total).toBe(FIXTURE_STEP.peakBytes);
    expect(rows.map((r) => r.measured).slice(0, 4)).toEqual([1, 2, 3, undefined]);
  });

  it('leaves a row the run did not measure without a measurement (its bytes axis stays a number)', () => {
    const rows = drawnRows(FIXTURE_STEP, fullRange(FIXTURE_STEP.timeline.length), [1, Number.NaN, 3]);
    expect(rows.map((r) => r.measured).slice(0, 3)).toEqual([1, undefined, 3]);
  });

  it('downsamples a 5000-row step but keeps the peak row', () => {
    const detail = syntheticTimeline(5000, 3333);
    const rows = drawnRows(detail, fullRange(5000));
    expect(rows.length).toBeLessThanOrEqual(MAX_DRAWN_ROWS);
    const peak = rows.find((r) => r.step === 3333);
    expect(peak?.total).toBe(detail.peakBytes);
    expect(Math.max(...rows.map((r) => r.total))).toBe(detail.peakBytes);
    // Zoomed away from the peak, the peak is not drawn; zoomed in, every row is.
    expect(drawnRows(detail, { start: 0, end: MAX_DRAWN_ROWS - 1 })).toHaveLength(MAX_DRAWN_ROWS);
  });

  it('labels the peak', () => {
    expect(peakLabel(FIXTURE_STEP)).toBe('peak 398 MiB at block0/attention/softmax_grad');
  });
});

describe('zoom and pan', () => {
  it('zooms about the centre and stays inside the timeline', () => {
    expect(zoomRange({ start: 0, end: 999 }, 0.5, 1000)).toEqual({ start: 250, end: 749 });
    expect(zoomRange({ start: 250, end: 749 }, 4, 1000)).toEqual({ start: 0, end: 999 });
    expect(zoomRange({ start: 0, end: 9 }, 0.1, 1000)).toEqual({ start: 1, end: 8 });
    expect(zoomRange({ start: 0, end: 3 }, 0.5, 4)).toEqual({ start: 0, end: 3 });
  });

  it('pans by a fraction of the view, at least one row, clamped at the ends', () => {
    expect(panRange({ start: 100, end: 199 }, 0.1, 1000)).toEqual({ start: 110, end: 209 });
    expect(panRange({ start: 100, end: 199 }, -0.5, 1000)).toEqual({ start: 50, end: 149 });
    expect(panRange({ start: 0, end: 9 }, -0.01, 1000)).toEqual({ start: 0, end: 9 });
    expect(panRange({ start: 990, end: 999 }, 0.5, 1000)).toEqual({ start: 990, end: 999 });
    expect(panRange({ start: 10, end: 19 }, 0.01, 1000)).toEqual({ start: 11, end: 20 });
  });

  it('finds the nearest index of a sorted list', () => {
    expect(nearestIndex([0, 10, 20, 30], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20, 30], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20, 30], 99)).toBe(3);
    expect(nearestIndex([0, 10, 20, 30], -5)).toBe(0);
  });
});

describe('step ticks', () => {
  it('puts about eight whole steps at a round spacing across the visible range', () => {
    expect(stepTicks(-0.5, 8.5)).toEqual([0, 2, 4, 6, 8]);
    expect(stepTicks(-0.5, 1999.5)).toEqual([0, 500, 1000, 1500]);
    expect(stepTicks(99.5, 120.5)).toEqual([100, 105, 110, 115, 120]);
    expect(stepTicks(3.5, 4.5)).toEqual([4]);
  });
});

describe('the overview strip', () => {
  it('moves one edge, keeping at least 8 rows and staying within the step', () => {
    expect(moveEdge({ start: 100, end: 199 }, 'start', 40.4, 1000)).toEqual({ start: 40, end: 199 });
    expect(moveEdge({ start: 100, end: 199 }, 'end', 5000, 1000)).toEqual({ start: 100, end: 999 });
    expect(moveEdge({ start: 100, end: 199 }, 'start', 195, 1000)).toEqual({ start: 192, end: 199 });
    expect(moveEdge({ start: 100, end: 199 }, 'end', 50, 1000)).toEqual({ start: 100, end: 107 });
    expect(moveEdge({ start: 0, end: 3 }, 'start', 2, 4)).toEqual({ start: 0, end: 3 });
  });
  it('shifts the window, its width kept', () => {
    expect(shiftRange({ start: 100, end: 199 }, 50, 1000)).toEqual({ start: 150, end: 249 });
    expect(shiftRange({ start: 100, end: 199 }, -500, 1000)).toEqual({ start: 0, end: 99 });
    expect(shiftRange({ start: 100, end: 199 }, 5000, 1000)).toEqual({ start: 900, end: 999 });
  });
});
