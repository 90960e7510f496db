/**
 * Two reports' points side by side (the same configuration on two GPUs, before and after a
 * change): their ops aligned by node name — the measured ops where the point was measured, else
 * the predicted ones — with what each node allocates, both peaks, and one line saying how far
 * apart they are and which op type accounts for most of it. A report does not say which node's
 * outputs are still held at the peak: heldAtPeak is 0 on both sides (the view says so).
 * Loaded on demand with the comparison view (it uses the engine's node alignment).
 */
import { alignNodes } from '../engine/explore/compare';
import type { CompareRow, Comparison } from '../engine/explore/types';
import { formatBytes } from '../engine/report/bytes';
import type { OpRecord, Point } from '../engine/report/schema';

/** One side of the comparison: a point of a report, and a name for it. */
export interface ReportSide {
  /** e.g. "h100.json" */
  name: string;
  point: Point;
}

export type OpsSource = 'measured' | 'predicted';

export interface ReportComparison {
  comparison: Comparison;
  /** Which ops each side's rows are: measured, else predicted (null: the point has neither). */
  sources: { a: OpsSource | null; b: OpsSource | null };
  /** The one-line summary (also comparison.summary). */
  summary: string;
}

function opsOf(p: Point): { ops: OpRecord[]; source: OpsSource | null } {
  if (p.measured) return { ops: p.measured.ops, source: 'measured' };
  if (p.predicted) return { ops: p.predicted.ops, source: 'predicted' };
  return { ops: [], source: null };
}

/** The point's peak: measured peak live bytes, else the planned peak, else 0. */
export function peakOf(p: Point): number {
  return p.measured?.peakLiveBytes ?? p.predicted?.peakBytes ?? 0;
}

/** Bytes allocated per op type, and how many nodes of it. */
function byOpType(ops: readonly OpRecord[]): Map<string, { bytes: number; count: number }> {
  const by = new Map<string, { bytes: number; count: number }>();
  for (const o of ops) {
    const t = by.get(o.opType) ?? { bytes: 0, count: 0 };
    t.bytes += o.allocBytes;
    t.count++;
    by.set(o.opType, t);
  }
  return by;
}

/** "the biggest difference is 14 Transpose nodes allocating 2.10 GiB more", or null when every op type allocates the same. */
function biggestDifference(a: readonly OpRecord[], b: readonly OpRecord[]): string | null {
  const inA = byOpType(a);
  const inB = byOpType(b);
  let best: { opType: string; diff: number; count: number } | null = null;
  for (const opType of new Set([...inA.keys(), ...inB.keys()])) {
    const ta = inA.get(opType);
    const tb = inB.get(opType);
    const diff = (tb?.bytes ?? 0) - (ta?.bytes ?? 0);
    if (diff !== 0 && (!best || Math.abs(diff) > Math.abs(best.diff)))
      best = { opType, diff, count: Math.max(ta?.count ?? 0, tb?.count ?? 0) };
  }
  if (!best) return null;
  const nodes = `${best.count} ${best.opType} node${best.count === 1 ? '' : 's'}`;
  return `the biggest difference is ${nodes} allocating ${formatBytes(Math.abs(best.diff))} ${best.diff > 0 ? 'more' : 'less'}`;
}

/** "a.json peaks at 2.41 GiB, b.json at 2.46 GiB: B holds 51.2 MiB more; the biggest difference is ...". */
export function reportSummary(a: ReportSide, b: ReportSide): string {
  const pa = peakOf(a.point);
  const pb = peakOf(b.point);
  const d = pb - pa;
  const holds =
    d === 0 ? 'B holds the same' : `B holds ${formatBytes(Math.abs(d))} ${d > 0 ? 'more' : 'less'}`;
  const head = `${a.name} peaks at ${formatBytes(pa)}, ${b.name} at ${formatBytes(pb)}: ${holds}`;
  const diff = biggestDifference(opsOf(a.point).ops, opsOf(b.point).ops);
  return diff ? `${head}; ${diff}` : `${head}; every op type allocates the same`;
}

/** Two reports' points aligned node by node (as the comparison view draws two steps). */
export function compareReports(a: ReportSide, b: ReportSide): ReportComparison {
  const oa = opsOf(a.point);
  const ob = opsOf(b.point);
  const byNode = (ops: readonly OpRecord[]) => new Map(ops.map((o) => [o.node, o]));
  const na = byNode(oa.ops);
  const nb = byNode(ob.ops);
  const names = alignNodes(
    oa.ops.map((o) => o.node),
    ob.ops.map((o) => o.node),
  );
  const seen = new Set<string>();
  const rows: CompareRow[] = [];
  for (const node of names) {
    if (seen.has(node)) continue; // a name repeated within one report is shown once
    seen.add(node);
    const ra = na.get(node);
    const rb = nb.get(node);
    const facts = (ra ?? rb)!;
    rows.push({
      node,
      opType: facts.opType,
      scope: facts.scope,
      phase: facts.phase,
      a: ra ? { allocBytes: ra.allocBytes, heldAtPeak: 0 } : null,
      b: rb ? { allocBytes: rb.allocBytes, heldAtPeak: 0 } : null,
    });
  }
  const side = (s: ReportSide) => ({
    combo: { strategy: s.point.strategy, retention: s.point.retention },
    batch: s.point.batch,
    peakBytes: peakOf(s.point),
  });
  const summary = reportSummary(a, b);
  return {
    comparison: { a: side(a), b: side(b), rows, summary },
    sources: { a: oa.source, b: ob.source },
    summary,
  };
}
