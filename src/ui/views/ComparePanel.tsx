/**
 * Two steps node by node: the summary first, then what each node allocates and holds at the peak
 * in A and in B, and the difference (B − A). Nodes of one step only are marked.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { comboKey, type Comparison } from '../../engine/explore/types';
import { Bytes } from '../Bytes';
import { formatBytes, formatCount } from '../format';
import { compareLines, compareTotals, filterCompare, sortCompare, type CompareLine } from './compareModel';
import { nextSort, type SortState } from './tableModel';
import { VirtualTable, type Column } from './VirtualTable';
import './views.css';

/** A signed difference: "+1.20 GiB" (B holds more), "−256 MiB", or "0". */
function Delta({ value }: { value: number }) {
  if (value === 0) return <span className="delta-zero">0</span>;
  const text = `${value > 0 ? '+' : '−'}${formatBytes(Math.abs(value))}`;
  return (
    <span className={value > 0 ? 'delta-up' : 'delta-down'} title={`${formatCount(value)} bytes`}>
      {text}
    </span>
  );
}

const bytesOrAbsent = (v: number | undefined): ReactNode =>
  v === undefined ? <span className="muted-cell">—</span> : <Bytes value={v} />;

function columns(aName: string, bName: string): Column<CompareLine>[] {
  return [
    {
      id: 'node',
      header: 'Node',
      className: 'mono trunc',
      cell: (l) => (
        <>
          {l.only && (
            <span className={`only-badge only-${l.only}`} title={`only in ${l.only === 'a' ? aName : bName}`}>
              only {l.only.toUpperCase()}
            </span>
          )}{' '}
          {l.row.node}
        </>
      ),
      cellTitle: (l) => (l.only ? `${l.row.node} (only in ${l.only === 'a' ? aName : bName})` : l.row.node),
    },
    {
      id: 'op',
      header: 'Op',
      width: '7rem',
      className: 'trunc',
      cell: (l) => l.row.opType,
      cellTitle: (l) => l.row.opType,
    },
    {
      id: 'scope',
      header: 'Scope',
      className: 'mono trunc',
      cell: (l) => l.row.scope,
      cellTitle: (l) => l.row.scope,
    },
    {
      id: 'aAlloc',
      header: 'A alloc',
      title: `${aName}: bytes allocated`,
      width: '5.6rem',
      numeric: true,
      cell: (l) => bytesOrAbsent(l.row.a?.allocBytes),
    },
    {
      id: 'bAlloc',
      header: 'B alloc',
      title: `${bName}: bytes allocated`,
      width: '5.6rem',
      numeric: true,
      cell: (l) => bytesOrAbsent(l.row.b?.allocBytes),
    },
    {
      id: 'deltaAlloc',
      header: 'Δ alloc',
      title: 'B − A, bytes allocated (sorts by size)',
      width: '6rem',
      numeric: true,
      cell: (l) => <Delta value={l.deltaAlloc} />,
    },
    {
      id: 'aHeld',
      header: 'A at peak',
      title: `${aName}: bytes of its outputs live at the peak`,
      width: '5.6rem',
      numeric: true,
      cell: (l) => bytesOrAbsent(l.row.a?.heldAtPeak),
    },
    {
      id: 'bHeld',
      header: 'B at peak',
      title: `${bName}: bytes of its outputs live at the peak`,
      width: '5.6rem',
      numeric: true,
      cell: (l) => bytesOrAbsent(l.row.b?.heldAtPeak),
    },
    {
      id: 'deltaHeld',
      header: 'Δ at peak',
      title: 'B − A, bytes held at the peak (sorts by size)',
      width: '6rem',
      numeric: true,
      cell: (l) => <Delta value={l.deltaHeld} />,
    },
  ];
}

export interface ComparePanelProps {
  comparison: Comparison;
  /** How the sides are named (default "copy/tape @ 64"). */
  names?: { a: string; b: string };
  /** The sort at first (default: by the difference held at the peak). */
  initialSort?: SortState;
}

export function ComparePanel({ comparison, names, initialSort }: ComparePanelProps) {
  const [text, setText] = useState('');
  const [sort, setSort] = useState<SortState | null>(
    initialSort ?? { column: 'deltaHeld', dir: 'descending' },
  );
  const aName = names?.a ?? `${comboKey(comparison.a.combo)} @ ${comparison.a.batch}`;
  const bName = names?.b ?? `${comboKey(comparison.b.combo)} @ ${comparison.b.batch}`;
  const lines = useMemo(() => compareLines(comparison), [comparison]);
  const shown = useMemo(() => sortCompare(filterCompare(lines, text), sort), [lines, text, sort]);
  const totals = useMemo(() => compareTotals(shown), [shown]);
  const cols = useMemo(() => columns(aName, bName), [aName, bName]);
  const numeric = new Set(cols.filter((c) => c.numeric).map((c) => c.id));

  return (
    <section className="compare" data-testid="compare" data-row-count={shown.length}>
      <p className="compare-summary" data-testid="compare-summary">
        {comparison.summary}
      </p>
      <dl className="compare-sides">
        <div>
          <dt>A</dt>
          <dd>
            {aName}: peak <Bytes value={comparison.a.peakBytes} />
          </dd>
        </div>
        <div>
          <dt>B</dt>
          <dd>
            {bName}: peak <Bytes value={comparison.b.peakBytes} />
          </dd>
        </div>
        <div>
          <dt>B − A</dt>
          <dd>
            <Delta value={comparison.b.peakBytes - comparison.a.peakBytes} />
          </dd>
        </div>
      </dl>
      <div className="view-filters" role="search" aria-label="Filter compared nodes">
        <label className="inline">
          filter{' '}
          <input
            type="search"
            data-testid="compare-filter"
            placeholder="node, op or scope"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <span className="muted-cell">
          {totals.onlyA} only in A, {totals.onlyB} only in B
        </span>
      </div>
      <VirtualTable
        columns={cols}
        rows={shown}
        rowKey={(l, i) => `${l.row.node}-${i}`}
        rowClassName={(l) => (l.only ? `only-${l.only}` : undefined)}
        rowData={(l) => ({
          node: l.row.node,
          'op-type': l.row.opType,
          only: l.only ?? undefined,
          'delta-alloc-bytes': l.deltaAlloc,
          'delta-held-bytes': l.deltaHeld,
        })}
        sort={sort}
        onSort={(column) => setSort((s) => nextSort(s, column, numeric.has(column)))}
        totals={[
          `Total: ${totals.count} of ${lines.length} nodes`,
          <Bytes key="aa" value={totals.aAlloc} />,
          <Bytes key="ba" value={totals.bAlloc} />,
          <Delta key="da" value={totals.deltaAlloc} />,
          <Bytes key="ah" value={totals.aHeld} />,
          <Bytes key="bh" value={totals.bHeld} />,
          <Delta key="dh" value={totals.deltaHeld} />,
        ]}
        totalsSpan={3}
        totalsData={{
          count: totals.count,
          'delta-alloc-bytes': totals.deltaAlloc,
          'delta-held-bytes': totals.deltaHeld,
        }}
        caption={`Bytes each node allocates and holds at the peak: A is ${aName}, B is ${bName}`}
      />
    </section>
  );
}
