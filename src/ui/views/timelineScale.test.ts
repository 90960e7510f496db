import { describe, expect, it } from 'vitest';
import { measuredPath } from './StepTimeline';
import type { DrawnRow } from './timelineModel';
import { TIMELINE_MARGIN, timelineScale } from './timelineScale';

describe('timelineScale', () => {
  // 400 × 320 px: the plot is 288 × 250 px at (88, 22).
  const scale = timelineScale(400, 320, { from: -0.5, to: 9.5, yMax: 1000 })!;

  it('puts the plot inside the margins and maps steps and bytes linearly onto it', () => {
    expect(scale.plot).toEqual({ x: TIMELINE_MARGIN.left, y: TIMELINE_MARGIN.top, width: 288, height: 250 });
    expect(scale.x(-0.5)).toBe(88);
    expect(scale.x(9.5)).toBe(376);
    expect(scale.x(2)).toBeCloseTo(88 + 2.5 * 28.8);
    expect(scale.y(0)).toBe(272);
    expect(scale.y(1000)).toBe(22);
    expect(scale.y(250)).toBe(209.5);
  });

  it('reads a step back from a pixel', () => {
    for (const step of [-0.5, 0, 3, 7.25, 9.5]) expect(scale.stepAt(scale.x(step))).toBeCloseTo(step);
  });

  it('has no scale without room or without anything to show', () => {
    expect(timelineScale(100, 320, { from: 0, to: 10, yMax: 1 })).toBeNull();
    expect(timelineScale(400, 320, { from: 3, to: 3, yMax: 1 })).toBeNull();
    expect(timelineScale(400, 320, { from: 0, to: 10, yMax: 0 })).toBeNull();
  });
});

describe('measuredPath', () => {
  const row = (step: number, measured?: number): DrawnRow =>
    ({ step, index: step, total: 0, ...(measured === undefined ? {} : { measured }) }) as DrawnRow;
  // One pixel per step and per byte, y downwards from 100.
  const scale = { x: (s: number) => 10 * s, y: (b: number) => 100 - b };

  it('steps halfway between rows, as the stacked areas do', () => {
    expect(measuredPath([row(0, 10), row(1, 10), row(2, 30)], scale)).toBe('M0,90L15,90L15,70L20,70');
  });

  it('breaks where a row has no measurement', () => {
    expect(measuredPath([row(0, 10), row(1), row(2, 30), row(3, 30)], scale)).toBe('M0,90M20,70L30,70');
    expect(measuredPath([row(0), row(1)], scale)).toBe('');
  });
});
