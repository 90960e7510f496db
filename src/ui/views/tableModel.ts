/** Sorting, filtering and totals shared by the page's tables, apart from React. */

export type SortDir = 'ascending' | 'descending';

export interface SortState {
  column: string;
  dir: SortDir;
}

export type SortValue = number | string | null;

/** Rows sorted by a key, stably; missing values (null) always last. */
export function sortRows<R>(rows: readonly R[], key: (r: R) => SortValue, dir: SortDir): R[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: key(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

/**
 * The sort after a click on a column's header: the same column flips direction; a new one starts
 * largest first for numbers, A to Z for text.
 */
export function nextSort(current: SortState | null, column: string, numeric: boolean): SortState {
  if (current?.column === column) {
    return { column, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
  }
  return { column, dir: numeric ? 'descending' : 'ascending' };
}

/** aria-sort for a column's header. */
export function ariaSort(sort: SortState | null, column: string): SortDir | 'none' {
  return sort?.column === column ? sort.dir : 'none';
}

/** Whether any field contains the text, ignoring case (empty text matches everything). */
export function matchesText(text: string, ...fields: readonly string[]): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return fields.some((f) => f.toLowerCase().includes(needle));
}

export function sumOf<R>(rows: readonly R[], value: (r: R) => number | null | undefined): number {
  let total = 0;
  for (const r of rows) total += value(r) ?? 0;
  return total;
}

export function maxOf<R>(rows: readonly R[], value: (r: R) => number | null | undefined): number | null {
  let max: number | null = null;
  for (const r of rows) {
    const v = value(r);
    if (v !== null && v !== undefined && (max === null || v > max)) max = v;
  }
  return max;
}
