/**
 * Two steps side by side, node by node: what each node allocates and what of it is still held at
 * that step's peak. Nodes are matched by name (strategies and retentions share most names), and
 * one line says how far apart the peaks are and which op type accounts for most of it.
 */
import { formatBytes } from '../report/bytes';
import type { Phase } from '../vocabulary';
import { comboKey, type CompareRow, type Comparison, type NodeBytes, type StepDetail } from './types';

interface NodeFacts {
  opType: string;
  scope: string;
  phase: Phase;
  bytes: NodeBytes;
}

/** Per node of `s`: its facts and bytes (held at the peak: its outputs among the peak's tensors). */
function nodesOf(s: StepDetail): Map<string, NodeFacts> {
  const held = new Map<string, number>();
  for (const t of s.atPeak) held.set(t.producer, (held.get(t.producer) ?? 0) + t.bytes);
  return new Map(
    s.timeline.map((r) => [
      r.node,
      {
        opType: r.opType,
        scope: r.scope,
        phase: r.phase,
        bytes: { allocBytes: r.allocBytes, heldAtPeak: held.get(r.node) ?? 0 },
      },
    ]),
  );
}

/**
 * Node names of both steps: a's in a's order, each of b's own nodes right after the node that
 * precedes it in b (after the previous b-only node for a run of them; first when none precedes).
 */
export function alignNodes(a: readonly string[], b: readonly string[]): string[] {
  const inA = new Set(a);
  const after = new Map<string | null, string[]>();
  let anchor: string | null = null;
  for (const name of b) {
    if (inA.has(name)) {
      anchor = name;
      continue;
    }
    const run = after.get(anchor);
    if (run) run.push(name);
    else after.set(anchor, [name]);
  }
  const rows = [...(after.get(null) ?? [])];
  for (const name of a) rows.push(name, ...(after.get(name) ?? []));
  return rows;
}

/** Bytes allocated per op type, and how many nodes of it. */
function allocByOpType(s: StepDetail): Map<string, { bytes: number; count: number }> {
  const by = new Map<string, { bytes: number; count: number }>();
  for (const r of s.timeline) {
    const t = by.get(r.opType) ?? { bytes: 0, count: 0 };
    t.bytes += r.allocBytes;
    t.count++;
    by.set(r.opType, t);
  }
  return by;
}

/** "; 14 Transposes allocate 2.10 GiB": the op type whose nodes allocate the most more in a than in b. */
function opTypeClause(a: StepDetail, b: StepDetail): string {
  const inA = allocByOpType(a);
  const inB = allocByOpType(b);
  let best: { opType: string; diff: number } | null = null;
  for (const [opType, t] of inA) {
    const diff = t.bytes - (inB.get(opType)?.bytes ?? 0);
    if (diff > 0 && (!best || diff > best.diff)) best = { opType, diff };
  }
  if (!best) return '';
  const { bytes, count } = inA.get(best.opType)!;
  const nodes = count === 1 ? `1 ${best.opType} allocates` : `${count} ${best.opType}s allocate`;
  return `; ${nodes} ${formatBytes(bytes)}`;
}

/** "copy/tape holds 1.20 GiB more than view/minimal at the peak of batch 64; 14 Transposes allocate 2.10 GiB". */
export function comparisonSummary(a: StepDetail, b: StepDetail): string {
  const diff = a.peakBytes - b.peakBytes;
  const holds =
    diff === 0
      ? 'holds the same as'
      : `holds ${formatBytes(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} than`;
  const where =
    a.batch === b.batch
      ? `at the peak of batch ${a.batch}`
      : `at the peaks of batches ${a.batch} and ${b.batch}`;
  return `${comboKey(a.combo)} ${holds} ${comboKey(b.combo)} ${where}${opTypeClause(a, b)}`;
}

export function compareSteps(a: StepDetail, b: StepDetail): Comparison {
  const nodesA = nodesOf(a);
  const nodesB = nodesOf(b);
  const names = alignNodes(
    a.timeline.map((r) => r.node),
    b.timeline.map((r) => r.node),
  );
  const rows = names.map((node): CompareRow => {
    const fa = nodesA.get(node);
    const fb = nodesB.get(node);
    const facts = (fa ?? fb)!;
    return {
      node,
      opType: facts.opType,
      scope: facts.scope,
      phase: facts.phase,
      a: fa ? fa.bytes : null,
      b: fb ? fb.bytes : null,
    };
  });
  const side = (s: StepDetail) => ({ combo: s.combo, batch: s.batch, peakBytes: s.peakBytes });
  return { a: side(a), b: side(b), rows, summary: comparisonSummary(a, b) };
}
