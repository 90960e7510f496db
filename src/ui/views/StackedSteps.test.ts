import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../engine/vocabulary';
import { stackedPaths, stackTops, Y_UNITS } from './StackedSteps';
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

  it('draws d3 curveStep edges in half steps and units of the largest total, a vertex only where bytes change', () => {
    // Totals 40, 100, 100, 60 bytes: 100 is Y_UNITS high; parameters 40 bytes throughout.
    const rows = [
      row(3, { parameter: 40 }),
      row(4, { parameter: 40, activation: 60 }),
      row(6, { parameter: 40, activation: 60 }),
      row(7, { parameter: 40, activation: 20 }),
    ];
    const { bytesPerUnit, areas } = stackedPaths(rows);
    expect(bytesPerUnit).toBe(100 / Y_UNITS);
    // Only the categories that hold bytes are drawn.
    expect(areas.map((a) => a.category)).toEqual(['parameter', 'activation']);
    const [p, u, q] = [0.4, 1, 0.6].map((f) => String(f * Y_UNITS));
    expect(areas[0]?.edge).toBe(`M6,${p}L14,${p}`);
    expect(areas[0]?.area).toBe(`M6,${p}L14,${p}L14,0L6,0Z`);
    // Up halfway between steps 3 and 4, down halfway between 6 and 7; the lower edge walked back.
    expect(areas[1]?.edge).toBe(`M6,${p}L7,${p}L7,${u}L13,${u}L13,${q}L14,${q}`);
    expect(areas[1]?.area).toBe(`M6,${p}L7,${p}L7,${u}L13,${u}L13,${q}L14,${q}L14,${p}L6,${p}Z`);
    expect(stackedPaths([]).areas).toEqual([]);
  });
});
