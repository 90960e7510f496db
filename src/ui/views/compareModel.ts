/** The comparison table's rows, deltas, filter, sort keys and totals, apart from React. */
import type { CompareRow, Comparison } from '../../engine/explore/types';
import { matchesText, sortRows, sumOf, type SortState, type SortValue } from './tableModel';

/** A compared node with its deltas (B − A; a node missing from one step counts 0 there). */
export interface CompareLine {
  row: CompareRow;
  /** Which step alone has the node; null when both do. */
  only: 'a' | 'b' | null;
  deltaAlloc: number;
  deltaHeld: number;
}

export function compareLines(comparison: Comparison): CompareLine[] {
  return comparison.rows.map((row) => ({
    row,
    only: row.a && !row.b ? 'a' : row.b && !row.a ? 'b' : null,
    deltaAlloc: (row.b?.allocBytes ?? 0) - (row.a?.allocBytes ?? 0),
    deltaHeld: (row.b?.heldAtPeak ?? 0) - (row.a?.heldAtPeak ?? 0),
  }));
}

export function filterCompare(lines: readonly CompareLine[], text: string): CompareLine[] {
  return lines.filter((l) => matchesText(text, l.row.node, l.row.opType, l.row.scope));
}

export type CompareColumn =
  'node' | 'op' | 'scope' | 'aAlloc' | 'bAlloc' | 'deltaAlloc' | 'aHeld' | 'bHeld' | 'deltaHeld';

export const COMPARE_SORT_KEYS: Record<CompareColumn, (l: CompareLine) => SortValue> = {
  node: (l) => l.row.node,
  op: (l) => l.row.opType,
  scope: (l) => l.row.scope,
  aAlloc: (l) => l.row.a?.allocBytes ?? null,
  bAlloc: (l) => l.row.b?.allocBytes ?? null,
  deltaAlloc: (l) => l.deltaAlloc,
  aHeld: (l) => l.row.a?.heldAtPeak ?? null,
  bHeld: (l) => l.row.b?.heldAtPeak ?? null,
  deltaHeld: (l) => l.deltaHeld,
};

/** Deltas sort by size whichever their sign, so the largest differences come first. */
export function sortCompare(lines: readonly CompareLine[], sort: SortState | null): CompareLine[] {
  if (!sort) return [...lines];
  const column = sort.column as CompareColumn;
  const key =
    column === 'deltaAlloc' || column === 'deltaHeld'
      ? (l: CompareLine) => Math.abs(l[column])
      : COMPARE_SORT_KEYS[column];
  return key ? sortRows(lines, key, sort.dir) : [...lines];
}

export interface CompareTotals {
  count: number;
  onlyA: number;
  onlyB: number;
  aAlloc: number;
  bAlloc: number;
  deltaAlloc: number;
  aHeld: number;
  bHeld: number;
  deltaHeld: number;
}

export function compareTotals(lines: readonly CompareLine[]): CompareTotals {
  return {
    count: lines.length,
    onlyA: lines.filter((l) => l.only === 'a').length,
    onlyB: lines.filter((l) => l.only === 'b').length,
    aAlloc: sumOf(lines, (l) => l.row.a?.allocBytes),
    bAlloc: sumOf(lines, (l) => l.row.b?.allocBytes),
    deltaAlloc: sumOf(lines, (l) => l.deltaAlloc),
    aHeld: sumOf(lines, (l) => l.row.a?.heldAtPeak),
    bHeld: sumOf(lines, (l) => l.row.b?.heldAtPeak),
    deltaHeld: sumOf(lines, (l) => l.deltaHeld),
  };
}
