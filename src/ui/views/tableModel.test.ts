import { describe, expect, it } from 'vitest';
import type { OpRecord } from '../../engine/report/schema';
import { compareLines, compareTotals, filterCompare, sortCompare } from './compareModel';
import { FIXTURE_COMPARISON, FIXTURE_STEP, syntheticTimeline } from './fixtures';
import { filterOps, joinMeasured, NO_FILTER, opsTotals, sortOps } from './opsModel';
import { ariaSort, matchesText, nextSort, sortRows } from './tableModel';

const MiB = 2 ** 20;

describe('sorting', () => {
  it('sorts stably, numbers by value, text by locale, missing values last either way', () => {
    const rows = [{ v: 3 }, { v: null }, { v: 1 }, { v: 3 }];
    expect(sortRows(rows, (r) => r.v, 'ascending')).toEqual([rows[2], rows[0], rows[3], rows[1]]);
    expect(sortRows(rows, (r) => r.v, 'descending')).toEqual([rows[0], rows[3], rows[2], rows[1]]);
    expect(sortRows(['b', 'a', 'C'], (r) => r, 'ascending')).toEqual(['a', 'b', 'C']);
  });

  it('flips on a second click; numbers start largest first, text A to Z', () => {
    expect(nextSort(null, 'alloc', true)).toEqual({ column: 'alloc', dir: 'descending' });
    expect(nextSort({ column: 'alloc', dir: 'descending' }, 'alloc', true)).toEqual({
      column: 'alloc',
      dir: 'ascending',
    });
    expect(nextSort({ column: 'alloc', dir: 'descending' }, 'node', false)).toEqual({
      column: 'node',
      dir: 'ascending',
    });
    expect(ariaSort({ column: 'node', dir: 'ascending' }, 'node')).toBe('ascending');
    expect(ariaSort({ column: 'node', dir: 'ascending' }, 'op')).toBe('none');
  });

  it('matches text in any field, ignoring case', () => {
    expect(matchesText('trans', 'n1', 'Transpose')).toBe(true);
    expect(matchesText('  ', 'x')).toBe(true);
    expect(matchesText('softmax', 'n1', 'MatMul')).toBe(false);
  });
});

describe('ops table model', () => {
  const rows = joinMeasured(FIXTURE_STEP.timeline);

  it('filters by text: "Transpose" totals every Transpose', () => {
    const shown = filterOps(rows, { ...NO_FILTER, text: 'Transpose' });
    expect(shown.map((r) => r.row.node)).toEqual([
      'block0/attention/transpose',
      'block0/attention/transpose_grad',
    ]);
    const transposes = FIXTURE_STEP.timeline.filter((r) => r.opType === 'Transpose');
    expect(opsTotals(shown).allocBytes).toBe(transposes.reduce((s, r) => s + r.allocBytes, 0));
  });

  it('filters by attention scope and by phase', () => {
    expect(
      filterOps(rows, { ...NO_FILTER, attentionOnly: true }).every((r) => r.row.scope.includes('attention')),
    ).toBe(true);
    expect(filterOps(rows, { ...NO_FILTER, phase: 'recompute' }).map((r) => r.row.node)).toEqual([
      'block0/attention/scores_re',
    ]);
  });

  it('sorts by any column and totals the shown rows', () => {
    const sorted = sortOps(rows, { column: 'alloc', dir: 'descending' });
    const allocs = sorted.map((r) => r.row.allocBytes);
    expect(allocs).toEqual([...allocs].sort((a, b) => b - a));
    const totals = opsTotals(rows);
    expect(totals.count).toBe(FIXTURE_STEP.timeline.length);
    expect(totals.maxLiveAfter).toBe(Math.max(...FIXTURE_STEP.timeline.map((r) => r.liveBytesAfter)));
    expect(totals.measuredAllocBytes).toBeNull();
  });

  it('joins measured records by node name', () => {
    const measured: OpRecord[] = [{ ...FIXTURE_STEP.timeline[3]!, allocBytes: 7 * MiB }];
    const joined = joinMeasured(FIXTURE_STEP.timeline, measured);
    expect(joined[3]?.measured?.allocBytes).toBe(7 * MiB);
    expect(joined[2]?.measured).toBeNull();
    expect(opsTotals(joined).measuredAllocBytes).toBe(7 * MiB);
    expect(sortOps(joined, { column: 'measuredAlloc', dir: 'ascending' })[0]?.row.step).toBe(3);
  });

  it('handles thousands of rows', () => {
    const big = joinMeasured(syntheticTimeline(5000, 10).timeline);
    expect(opsTotals(filterOps(big, { ...NO_FILTER, text: 'transpose' })).count).toBe(1000);
  });
});

describe('comparison model', () => {
  const lines = compareLines(FIXTURE_COMPARISON);

  it('marks nodes of one step only and computes B − A', () => {
    expect(lines.map((l) => l.only)).toEqual([null, 'a', null, null, 'b', null]);
    expect(lines[1]).toMatchObject({ deltaAlloc: -256 * MiB, deltaHeld: -256 * MiB });
    expect(lines[0]).toMatchObject({ deltaAlloc: 0, deltaHeld: -768 * MiB });
  });

  it('sorts by the size of a delta, filters by text and totals', () => {
    const sorted = sortCompare(lines, { column: 'deltaHeld', dir: 'descending' });
    expect(sorted[0]?.row.node).toBe('block0/attention/scores');
    const transposes = filterCompare(lines, 'transpose');
    expect(compareTotals(transposes)).toEqual({
      count: 2,
      onlyA: 1,
      onlyB: 0,
      aAlloc: 512 * MiB,
      bAlloc: 0,
      deltaAlloc: -512 * MiB,
      aHeld: 512 * MiB,
      bHeld: 0,
      deltaHeld: -512 * MiB,
    });
  });
});
