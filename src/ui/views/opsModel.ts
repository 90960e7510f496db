/** The ops table's rows, filters, sort keys and totals, apart from React. */
import type { TimelineRow } from '../../engine/explore/types';
import type { OpRecord } from '../../engine/report/schema';
import { isAttentionScope, type Phase } from '../../engine/vocabulary';
import { matchesText, maxOf, sortRows, sumOf, type SortState, type SortValue } from './tableModel';

/** A planned row, with the measured record of the same node when there is one. */
export interface OpsRow {
  row: TimelineRow;
  measured: OpRecord | null;
}

export function joinMeasured(rows: readonly TimelineRow[], measured?: readonly OpRecord[]): OpsRow[] {
  const byNode = new Map<string, OpRecord>();
  for (const m of measured ?? []) if (!byNode.has(m.node)) byNode.set(m.node, m);
  return rows.map((row) => ({ row, measured: byNode.get(row.node) ?? null }));
}

export interface OpsFilter {
  attentionOnly: boolean;
  phase: Phase | 'all';
  /** Matches node, op or scope (substring, any case). */
  text: string;
}

export const NO_FILTER: OpsFilter = { attentionOnly: false, phase: 'all', text: '' };

export function filterOps(rows: readonly OpsRow[], f: OpsFilter): OpsRow[] {
  return rows.filter(
    ({ row }) =>
      (!f.attentionOnly || isAttentionScope(row.scope)) &&
      (f.phase === 'all' || row.phase === f.phase) &&
      matchesText(f.text, row.node, row.opType, row.scope),
  );
}

export type OpsColumn =
  'step' | 'node' | 'op' | 'scope' | 'phase' | 'alloc' | 'freed' | 'live' | 'measuredAlloc' | 'measuredLive';

export const OPS_SORT_KEYS: Record<OpsColumn, (r: OpsRow) => SortValue> = {
  step: (r) => r.row.step,
  node: (r) => r.row.node,
  op: (r) => r.row.opType,
  scope: (r) => r.row.scope,
  phase: (r) => r.row.phase,
  alloc: (r) => r.row.allocBytes,
  freed: (r) => r.row.freedBytes,
  live: (r) => r.row.liveBytesAfter,
  measuredAlloc: (r) => r.measured?.allocBytes ?? null,
  measuredLive: (r) => r.measured?.liveBytesAfter ?? null,
};

export function sortOps(rows: readonly OpsRow[], sort: SortState | null): OpsRow[] {
  const key = sort ? OPS_SORT_KEYS[sort.column as OpsColumn] : undefined;
  return key && sort ? sortRows(rows, key, sort.dir) : [...rows];
}

/** Totals of the shown rows: bytes allocated and freed add up; live bytes after do not, so their maximum. */
export interface OpsTotals {
  count: number;
  allocBytes: number;
  freedBytes: number;
  maxLiveAfter: number | null;
  measuredAllocBytes: number | null;
  maxMeasuredLiveAfter: number | null;
}

export function opsTotals(rows: readonly OpsRow[]): OpsTotals {
  const anyMeasured = rows.some((r) => r.measured !== null);
  return {
    count: rows.length,
    allocBytes: sumOf(rows, (r) => r.row.allocBytes),
    freedBytes: sumOf(rows, (r) => r.row.freedBytes),
    maxLiveAfter: maxOf(rows, (r) => r.row.liveBytesAfter),
    measuredAllocBytes: anyMeasured ? sumOf(rows, (r) => r.measured?.allocBytes) : null,
    maxMeasuredLiveAfter: maxOf(rows, (r) => r.measured?.liveBytesAfter),
  };
}
