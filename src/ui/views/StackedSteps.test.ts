import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../engine/vocabulary';
import { categoryPath, stackTops } from './StackedSteps';
import type { DrawnRow } from './timelineModel';

const row = (step: number, bytes: Partial<Record<(typeof CATEGORIES)[number], number>>): DrawnRow => {
  const r = { step, index: step, total: 0 } as DrawnRow;
  for (const c of CATEGORIES) r[c] = bytes[c] ?? 0;
  r.total = CATEGORIES.reduce((n, c) => n + r[c], 0);
  return r;
};

describe('stacked steps', () => {
  it('stacks each category on the ones before it, in CATEGORIES order', () => {
    const rows = [row(0, { parameter: 10, activation: 5 }), row(1, { parameter: 10, gradient: 7 })];
    const tops = stackTops(rows);
    const at = (c: (typeof CATEGORIES)[number]) => [...(tops[CATEGORIES.indexOf(c)] as Float64Array)];
    expect(at('parameter')).toEqual([10, 10]);
    expect(at('activation')).toEqual([15, 10]);
    expect(at('gradient')).toEqual([15, 17]);
    expect(at(CATEGORIES.at(-1) as (typeof CATEGORIES)[number])).toEqual(rows.map((r) => r.total));
  });

  it('draws d3 curveStep edges: each change halfway between two rows, the lower edge walked back', () => {
    // Rows at x 0, 10, 30; top edge y 5, 3, 4; bottom edge y 9, 9, 8.
    expect(categoryPath([0, 10, 30], [5, 3, 4], [9, 9, 8])).toBe(
      'M0,5L5,5L5,3L10,3L20,3L20,4L30,4' + 'L30,8L20,8L20,9L10,9L5,9L5,9L0,9Z',
    );
    expect(categoryPath([], [], [])).toBe('');
  });
});
