/**
 * Every node of a step: what it allocates, frees and leaves live, planned and (when given)
 * measured. Filter by attention scope, phase and text; sort by any column; totals of what is shown.
 */
import { useMemo, useState } from 'react';
import type { TimelineRow } from '../../engine/explore/types';
import type { OpRecord } from '../../engine/report/schema';
import { PHASES, type Phase } from '../../engine/vocabulary';
import { Bytes } from '../Bytes';
import {
  filterOps,
  joinMeasured,
  NO_FILTER,
  opsTotals,
  sortOps,
  type OpsFilter,
  type OpsRow,
} from './opsModel';
import { nextSort, type SortState } from './tableModel';
import { VirtualTable, type Column } from './VirtualTable';
import './views.css';

export interface OpsTableProps {
  rows: TimelineRow[];
  /** Measured records of the same step, matched to rows by node name. */
  measured?: OpRecord[];
}

const bytesOrDash = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : <Bytes value={v} />;

const BASE_COLUMNS: Column<OpsRow>[] = [
  { id: 'step', header: '#', width: '2.8rem', numeric: true, cell: (r) => r.row.step },
  {
    id: 'node',
    header: 'Node',
    className: 'mono trunc',
    cell: (r) => r.row.node,
    cellTitle: (r) => r.row.node,
  },
  {
    id: 'op',
    header: 'Op',
    width: '6.5rem',
    className: 'trunc',
    cell: (r) => r.row.opType,
    cellTitle: (r) => r.row.opType,
  },
  {
    id: 'scope',
    header: 'Scope',
    className: 'mono trunc',
    cell: (r) => r.row.scope,
    cellTitle: (r) => r.row.scope,
  },
  { id: 'phase', header: 'Phase', width: '5.2rem', cell: (r) => r.row.phase },
  {
    id: 'alloc',
    header: 'Allocated',
    width: '5.6rem',
    numeric: true,
    cell: (r) => <Bytes value={r.row.allocBytes} />,
  },
  {
    id: 'freed',
    header: 'Freed',
    width: '5.6rem',
    numeric: true,
    cell: (r) => <Bytes value={r.row.freedBytes} />,
  },
  {
    id: 'live',
    header: 'Live after',
    width: '5.6rem',
    numeric: true,
    cell: (r) => <Bytes value={r.row.liveBytesAfter} />,
  },
];

const MEASURED_COLUMNS: Column<OpsRow>[] = [
  {
    id: 'measuredAlloc',
    header: 'Meas. alloc',
    title: 'Measured bytes allocated',
    width: '5.6rem',
    numeric: true,
    cell: (r) => bytesOrDash(r.measured?.allocBytes),
  },
  {
    id: 'measuredLive',
    header: 'Meas. live',
    title: 'Measured live bytes after the node',
    width: '5.6rem',
    numeric: true,
    cell: (r) => bytesOrDash(r.measured?.liveBytesAfter),
  },
];

export function OpsTable({ rows, measured }: OpsTableProps) {
  const [filter, setFilter] = useState<OpsFilter>(NO_FILTER);
  const [sort, setSort] = useState<SortState | null>(null);
  const joined = useMemo(() => joinMeasured(rows, measured), [rows, measured]);
  const shown = useMemo(() => sortOps(filterOps(joined, filter), sort), [joined, filter, sort]);
  const totals = useMemo(() => opsTotals(shown), [shown]);
  const columns = measured ? [...BASE_COLUMNS, ...MEASURED_COLUMNS] : BASE_COLUMNS;
  const numeric = new Set(columns.filter((c) => c.numeric).map((c) => c.id));

  const maxCell = (v: number | null) =>
    v === null ? (
      '—'
    ) : (
      <span title="the largest among the rows shown">
        <span aria-hidden="true">↑</span>
        <span className="visually-hidden">max </span>
        <Bytes value={v} />
      </span>
    );
  const totalCells = [
    `Total: ${totals.count} of ${rows.length} nodes`,
    <Bytes key="a" value={totals.allocBytes} />,
    <Bytes key="f" value={totals.freedBytes} />,
    maxCell(totals.maxLiveAfter),
    ...(measured ? [bytesOrDash(totals.measuredAllocBytes), maxCell(totals.maxMeasuredLiveAfter)] : []),
  ];

  return (
    <section className="ops-view" data-testid="ops-table" data-row-count={shown.length}>
      <div className="view-filters" role="search" aria-label="Filter ops">
        <label className="inline">
          <input
            type="checkbox"
            data-testid="ops-attention-only"
            checked={filter.attentionOnly}
            onChange={(e) => setFilter({ ...filter, attentionOnly: e.currentTarget.checked })}
          />{' '}
          attention only
        </label>
        <label className="inline">
          phase{' '}
          <select
            data-testid="ops-phase"
            value={filter.phase}
            onChange={(e) => setFilter({ ...filter, phase: e.currentTarget.value as Phase | 'all' })}
          >
            <option value="all">all</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          filter{' '}
          <input
            type="search"
            data-testid="ops-filter"
            placeholder="node, op or scope"
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })}
          />
        </label>
      </div>
      <VirtualTable
        columns={columns}
        rows={shown}
        rowKey={(r, i) => `${r.row.step}-${r.row.node}-${i}`}
        rowData={(r) => ({
          node: r.row.node,
          'op-type': r.row.opType,
          phase: r.row.phase,
          scope: r.row.scope,
          'alloc-bytes': r.row.allocBytes,
          'freed-bytes': r.row.freedBytes,
          'live-bytes-after': r.row.liveBytesAfter,
          'measured-alloc-bytes': r.measured?.allocBytes,
        })}
        sort={sort}
        onSort={(column) => setSort((s) => nextSort(s, column, numeric.has(column)))}
        totals={totalCells}
        totalsSpan={5}
        totalsData={{
          count: totals.count,
          'alloc-bytes': totals.allocBytes,
          'freed-bytes': totals.freedBytes,
          'max-live-bytes-after': totals.maxLiveAfter ?? undefined,
          'measured-alloc-bytes': totals.measuredAllocBytes ?? undefined,
        }}
        caption="Allocations of each node of the step, forward and backward"
      />
    </section>
  );
}
