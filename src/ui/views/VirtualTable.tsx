/**
 * A table that renders only the rows in view of its fixed-height scroll box (thousands of nodes),
 * with a sticky header of sortable columns and a sticky totals row. Rows keep table semantics:
 * spacer rows stand in for those scrolled away, and aria-rowcount/aria-rowindex tell the real count.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import { ariaSort, type SortState } from './tableModel';
import './views.css';

export interface Column<R> {
  id: string;
  header: string;
  /** Explains the header on hover. */
  title?: string;
  numeric?: boolean;
  /** CSS width of the column (the table's layout is fixed); none: a share of what the others leave. */
  width?: string;
  sortable?: boolean;
  cell(row: R): ReactNode;
  /** The full text on hover, for cells that truncate. */
  cellTitle?(row: R): string;
  className?: string;
}

export interface VirtualTableProps<R> {
  columns: Column<R>[];
  rows: readonly R[];
  rowKey(row: R, index: number): string;
  /** data-* attributes of a row (for tests and styling). */
  rowData?(row: R): Record<string, string | number | undefined>;
  rowClassName?(row: R): string | undefined;
  sort: SortState | null;
  onSort(column: string): void;
  /** The totals row: its label, spanning the first `totalsSpan` columns, then one cell per remaining column. */
  totals?: ReactNode[];
  totalsSpan?: number;
  totalsData?: Record<string, string | number | undefined>;
  caption: string;
  /** Height of the scroll box, px. */
  height?: number;
  rowHeight?: number;
}

const ARROWS = { ascending: ' ▲', descending: ' ▼', none: '' } as const;

export function VirtualTable<R>(props: VirtualTableProps<R>) {
  const { columns, rows, rowKey, rowData, rowClassName, sort, onSort, totals, totalsData, caption } = props;
  const span = props.totalsSpan ?? 1;
  const height = props.height ?? 420;
  const rowHeight = props.rowHeight ?? 28;
  const box = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser's functions are not memoisable; nothing here is compiled
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => box.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div
      className="table-box virtual"
      ref={box}
      style={{ maxHeight: height }}
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className="view-table" aria-rowcount={rows.length + 1 + (totals ? 1 : 0)}>
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => {
              const state = ariaSort(sort, c.id);
              return (
                <th
                  key={c.id}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={c.sortable === false ? undefined : state}
                  title={c.title}
                  data-column={c.id}
                >
                  {c.sortable === false ? (
                    c.header
                  ) : (
                    <button type="button" className="sort-button" onClick={() => onSort(c.id)}>
                      {c.header}
                      <span aria-hidden="true">{ARROWS[state]}</span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr className="spacer" aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index] as R;
            return (
              <tr
                key={rowKey(row, item.index)}
                aria-rowindex={item.index + 2}
                className={rowClassName?.(row)}
                style={{ height: rowHeight }}
                {...prefixData(rowData?.(row))}
              >
                {columns.map((c) => (
                  <td
                    key={c.id}
                    className={[c.numeric ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined}
                    title={c.cellTitle?.(row)}
                  >
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr className="spacer" aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
        {totals && (
          <tfoot>
            <tr className="totals" aria-rowindex={rows.length + 2} {...prefixData(totalsData)}>
              {totals.map((cell, i) => {
                const c = columns[i === 0 ? 0 : i + span - 1];
                return i === 0 ? (
                  <th key={c?.id ?? i} scope="row" colSpan={span}>
                    {cell}
                  </th>
                ) : (
                  <td key={c?.id ?? i} className={c?.numeric ? 'num' : undefined}>
                    {cell}
                  </td>
                );
              })}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function prefixData(
  data: Record<string, string | number | undefined> | undefined,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(data ?? {})) if (v !== undefined) out[`data-${k}`] = v;
  return out;
}
