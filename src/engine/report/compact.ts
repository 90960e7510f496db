/**
 * The version 2 file form of a report (schemaV2.ts, docs/report-format.md "Version 2") and back:
 * `expandReport(compactReport(r))` deep-equals `r`.
 *
 * What points of one strategy × retention share is stored once per graph: the node table (name,
 * op type, phase, scope, outputs with the batch dimension written `"B"` or `"B*k"`) and the op
 * lists (node indices, and per op allocated and freed bytes as `perBatch × batch + base`). A point
 * keeps its live bytes before the first op, the few values that differ from what the graph
 * implies, and its GPU times. Nothing is assumed about the report's ops: a node whose shapes are
 * not linear in the batch, a measured op list in another order or with nodes the plan does not
 * have, bytes that are not linear: each is stored as it is (a table entry of its own, a sequence
 * of its own, an exception of the point).
 */
import { ELEMENT_BYTES, type ElementType } from '../vocabulary';
import { packGpuUs, unpackGpuUs } from './gpuTimes';
import { ReportImportError } from './importError';
import { SCHEMA_VERSION, type Measured, type OpRecord, type Point, type Predicted } from './schema';
import type { Report } from './report';
import type {
  Dim,
  GraphV2,
  MeasuredV2,
  NodeV2,
  OpsV2,
  PointV2,
  PredictedV2,
  ReportFileV2,
  SequenceV2,
} from './schemaV2';

/**
 * The most op and tensor records a version 2 file may expand to (the seed preset's full sweep,
 * planned and measured, has about 2.6 million): a small file cannot make a reader build more.
 */
export const MAX_EXPANDED_RECORDS = 8_000_000;

type Kind = 'predicted' | 'measured';

/** What names a node apart from its numbers: a dimension's batch dependence is learnt per identity. */
function identityOf(op: OpRecord): string {
  return JSON.stringify([
    op.node,
    op.opType,
    op.phase,
    op.scope,
    op.outputs.map((o) => [o.name, o.dtype, o.shape.length]),
  ]);
}

/** How one dimension of one output of one node depends on the batch, over every op that has it. */
interface DimStat {
  first: number;
  firstBatch: number;
  constant: boolean;
  /** first / firstBatch, when that is a whole number ≥ 1 and every value so far is k × batch. */
  k: number | null;
}

function dimOf(stat: DimStat): Dim | null {
  if (stat.constant) return stat.first;
  if (stat.k !== null) return stat.k === 1 ? 'B' : `B*${stat.k}`;
  return null;
}

function tensorBytes(shape: readonly number[], dtype: ElementType): number {
  return shape.reduce((n, d) => n * d, 1) * ELEMENT_BYTES[dtype];
}

interface OpList {
  graph: string;
  kind: Kind;
  batch: number;
  ops: OpRecord[];
  nodes: number[];
}

interface GraphBuild {
  strategy: Point['strategy'];
  retention: Point['retention'];
  sequences: SequenceV2[];
  sequenceIndex: Map<string, number>;
}

const graphKey = (p: Pick<Point, 'strategy' | 'retention'>) => `${p.strategy}/${p.retention}`;

/** `[perBatch, base]` through the smallest and largest batch of a group, or `[0, value]`. */
function fit(lo: { batch: number; v: number }, hi: { batch: number; v: number }): [number, number] {
  if (hi.batch !== lo.batch) {
    const a = (hi.v - lo.v) / (hi.batch - lo.batch);
    const base = lo.v - a * lo.batch;
    if (Number.isSafeInteger(a) && Number.isSafeInteger(base)) return [a, base];
  }
  return [0, lo.v];
}

/** The version 2 file form of a (valid) report. */
export function compactReport(r: Report): ReportFileV2 {
  // Pass 1: every op list, and how each node's output dimensions vary with the batch.
  const lists: OpList[] = [];
  const dims = new Map<string, DimStat[][]>();
  const graphs = new Map<string, GraphBuild>();
  const identities: string[][] = [];
  for (const p of r.points) {
    const key = graphKey(p);
    for (const kind of ['predicted', 'measured'] as const) {
      const part = p[kind];
      if (!part) continue;
      if (!graphs.has(key))
        graphs.set(key, {
          strategy: p.strategy,
          retention: p.retention,
          sequences: [],
          sequenceIndex: new Map(),
        });
      const ids: string[] = [];
      for (const op of part.ops) {
        const id = identityOf(op);
        ids.push(id);
        let stats = dims.get(id);
        if (!stats) {
          stats = op.outputs.map((o) =>
            o.shape.map((d) => ({
              first: d,
              firstBatch: p.batch,
              constant: true,
              k: d > 0 && d % p.batch === 0 ? d / p.batch : null,
            })),
          );
          dims.set(id, stats);
          continue;
        }
        op.outputs.forEach((o, i) =>
          o.shape.forEach((d, j) => {
            const s = stats[i]![j]!;
            if (d !== s.first) s.constant = false;
            if (s.k !== null && d !== s.k * p.batch) s.k = null;
          }),
        );
      }
      identities.push(ids);
      lists.push({ graph: key, kind, batch: p.batch, ops: part.ops, nodes: [] });
    }
  }

  // Pass 2: each op's node table entry (symbolic where every op agrees, concrete elsewhere).
  const nodes: NodeV2[] = [];
  const nodeIndex = new Map<string, number>();
  lists.forEach((list, li) => {
    const ids = identities[li]!;
    list.nodes = list.ops.map((op, oi) => {
      const stats = dims.get(ids[oi]!)!;
      const concrete: number[] = [];
      const outputs = op.outputs.map((o, i) => {
        if (o.bytes !== tensorBytes(o.shape, o.dtype))
          throw new Error(
            `compactReport: ${op.node}'s output ${o.name} has bytes that do not match its shape`,
          );
        return {
          name: o.name,
          dtype: o.dtype,
          shape: o.shape.map((d, j): Dim => {
            const sym = dimOf(stats[i]![j]!);
            if (sym !== null) return sym;
            concrete.push(d);
            return d;
          }),
        };
      });
      const key = `${ids[oi]}|${concrete.join(',')}`;
      let index = nodeIndex.get(key);
      if (index === undefined) {
        index = nodes.length;
        nodes.push({ node: op.node, opType: op.opType, phase: op.phase, scope: op.scope, outputs });
        nodeIndex.set(key, index);
      }
      return index;
    });
  });

  // Pass 3: op lists with the same nodes (per graph and kind) share a sequence; its bytes are
  // fitted through the smallest and largest batch.
  const groups = new Map<string, OpList[]>();
  for (const list of lists) {
    const key = `${list.graph}|${list.kind}|${list.nodes.join(',')}`;
    const group = groups.get(key);
    if (group) group.push(list);
    else groups.set(key, [list]);
  }
  const sequenceOf = new Map<OpList, number>();
  for (const group of groups.values()) {
    let lo = group[0]!;
    let hi = lo;
    for (const l of group) {
      if (l.batch < lo.batch) lo = l;
      if (l.batch > hi.batch) hi = l;
    }
    const g = graphs.get(lo.graph)!;
    const byField = (f: 'allocBytes' | 'freedBytes') =>
      lo.ops.map((op, i) => fit({ batch: lo.batch, v: op[f] }, { batch: hi.batch, v: hi.ops[i]![f] }));
    const seq: SequenceV2 = { nodes: lo.nodes, alloc: byField('allocBytes'), freed: byField('freedBytes') };
    const key = JSON.stringify(seq);
    let index = g.sequenceIndex.get(key);
    if (index === undefined) {
      index = g.sequences.length;
      g.sequences.push(seq);
      g.sequenceIndex.set(key, index);
    }
    for (const l of group) sequenceOf.set(l, index);
  }

  // Pass 4: the points, with only their numbers.
  let next = 0;
  const opsOf = (): OpsV2 => {
    const list = lists[next++]!;
    const g = graphs.get(list.graph)!;
    const seqIndex = sequenceOf.get(list)!;
    return compactOps(list, seqIndex, g.sequences[seqIndex]!);
  };
  const points = r.points.map((p): PointV2 => {
    let predicted: PredictedV2 | null = null;
    let measured: MeasuredV2 | null = null;
    // Every field but the ops as it is (an absent nonTensorBytes stays absent), then the ops.
    if (p.predicted) predicted = { ...p.predicted, ops: opsOf() };
    if (p.measured) measured = { ...p.measured, ops: opsOf() };
    return {
      strategy: p.strategy,
      retention: p.retention,
      batch: p.batch,
      predicted,
      measured,
      error: p.error,
    };
  });

  return {
    schemaVersion: 2,
    tool: r.tool,
    createdAt: r.createdAt,
    device: r.device,
    model: r.model,
    dtype: r.dtype,
    allocator: r.allocator,
    chunk: r.chunk,
    optimizer: r.optimizer,
    microBatches: r.microBatches,
    loss: r.loss,
    lossChunk: r.lossChunk,
    nodes,
    graphs: [...graphs.values()].map((g): GraphV2 => ({
      strategy: g.strategy,
      retention: g.retention,
      sequences: g.sequences,
    })),
    points,
    maxBatch: r.maxBatch,
  };
}

function compactOps(list: OpList, seqIndex: number, seq: SequenceV2): OpsV2 {
  const { ops, batch } = list;
  const first = ops[0];
  const start = first ? first.liveBytesAfter - first.allocBytes + first.freedBytes : 0;
  const alloc: number[] = [];
  const freed: number[] = [];
  const live: number[] = [];
  const gpuMs: number[] = [];
  let timed = false;
  const gpuUs = ops.map((op, i): number | null => {
    const [aa, ab] = seq.alloc[i]!;
    const [fa, fb] = seq.freed[i]!;
    if (op.allocBytes !== aa * batch + ab) alloc.push(i, op.allocBytes);
    if (op.freedBytes !== fa * batch + fb) freed.push(i, op.freedBytes);
    const before = i === 0 ? start : ops[i - 1]!.liveBytesAfter;
    if (op.liveBytesAfter !== before + op.allocBytes - op.freedBytes) live.push(i, op.liveBytesAfter);
    if (op.gpuMs === null) return null;
    timed = true;
    const us = Math.round(op.gpuMs * 1000);
    if (Number.isSafeInteger(us) && us / 1000 === op.gpuMs) return us;
    gpuMs.push(i, op.gpuMs);
    return null;
  });
  return { seq: seqIndex, start, alloc, freed, live, gpu: timed ? packGpuUs(gpuUs) : null, gpuMs };
}

/** Where a version 2 file's structure breaks (an index out of range, a list of the wrong length). */
function fail(path: string, message: string): never {
  throw new ReportImportError(`not a valid Headroom report (schemaVersion 2): ${path}: ${message}`);
}

/** The number of records (ops and their tensors) a file's points expand to; throws past the cap. */
function countRecords(f: ReportFileV2, graphs: Map<string, GraphV2>): void {
  let records = 0;
  f.points.forEach((p, pi) => {
    const g = graphs.get(graphKey(p));
    for (const kind of ['predicted', 'measured'] as const) {
      const part = p[kind];
      if (!part) continue;
      const path = `points[${pi}].${kind}.ops.seq`;
      if (!g) fail(`points[${pi}]`, `no graph for ${graphKey(p)}`);
      const seq = g.sequences[part.ops.seq];
      if (!seq) fail(path, `no sequence ${part.ops.seq} in the graph (it has ${g.sequences.length})`);
      for (const n of seq.nodes) records += 1 + (f.nodes[n]?.outputs.length ?? 0);
      if (records > MAX_EXPANDED_RECORDS)
        fail(path, `expands to more than ${MAX_EXPANDED_RECORDS} op and tensor records`);
    }
  });
}

/** Values by op index: the pairs `[i, v, …]` of a point, on top of `base`. */
function applyExceptions(base: number[], pairs: readonly number[], path: string): void {
  for (let k = 0; k < pairs.length; k += 2) {
    const i = pairs[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= base.length)
      fail(`${path}[${k}]`, `op index ${i} out of range (the list has ${base.length} ops)`);
    base[i] = pairs[k + 1]!;
  }
}

function dimAt(d: Dim, batch: number): number {
  if (typeof d === 'number') return d;
  return d === 'B' ? batch : Number(d.slice(2)) * batch;
}

function expandOps(nodes: readonly NodeV2[], g: GraphV2, o: OpsV2, batch: number, path: string): OpRecord[] {
  const seq = g.sequences[o.seq]!;
  const n = seq.nodes.length;
  const alloc = seq.alloc.map(([a, b]) => a * batch + b);
  const freed = seq.freed.map(([a, b]) => a * batch + b);
  applyExceptions(alloc, o.alloc, `${path}.alloc`);
  applyExceptions(freed, o.freed, `${path}.freed`);
  const liveFixed: (number | undefined)[] = new Array<number | undefined>(n);
  for (let k = 0; k < o.live.length; k += 2) {
    const i = o.live[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      fail(`${path}.live[${k}]`, `op index ${i} out of range (the list has ${n} ops)`);
    liveFixed[i] = o.live[k + 1]!;
  }
  let gpu: (number | null)[] = Array<null>(n).fill(null);
  if (o.gpu !== null) {
    let us: (number | null)[];
    try {
      us = unpackGpuUs(o.gpu);
    } catch (e) {
      fail(`${path}.gpu`, (e as Error).message);
    }
    if (us.length !== n) fail(`${path}.gpu`, `expected ${n} times (one per op), got ${us.length}`);
    gpu = us.map((t) => (t === null ? null : t / 1000));
  }
  applyExceptions(gpu as number[], o.gpuMs, `${path}.gpuMs`);
  let live = o.start;
  return seq.nodes.map((ni, i): OpRecord => {
    const node = nodes[ni];
    if (!node)
      fail(`${path}.seq`, `sequence ${o.seq} names node ${ni}, not in the table (it has ${nodes.length})`);
    live = liveFixed[i] ?? live + alloc[i]! - freed[i]!;
    return {
      node: node.node,
      opType: node.opType,
      phase: node.phase,
      scope: node.scope,
      allocBytes: alloc[i]!,
      freedBytes: freed[i]!,
      liveBytesAfter: live,
      outputs: node.outputs.map((t) => {
        const shape = t.shape.map((d) => dimAt(d, batch));
        return { name: t.name, shape, dtype: t.dtype, bytes: tensorBytes(shape, t.dtype) };
      }),
      gpuMs: gpu[i]!,
    };
  });
}

/**
 * The report in memory of a version 2 file (already checked against reportFileV2Schema). Throws
 * ReportImportError where the file's references do not hold (an index out of range, a list of the
 * wrong length, a graph missing) or it would expand past MAX_EXPANDED_RECORDS. The result still
 * needs validating as a report (io.ts does).
 */
export function expandReport(f: ReportFileV2): Report {
  const graphs = new Map<string, GraphV2>();
  f.graphs.forEach((g, i) => {
    if (graphs.has(graphKey(g))) fail(`graphs[${i}]`, `repeats the graph of ${graphKey(g)}`);
    graphs.set(graphKey(g), g);
  });
  countRecords(f, graphs);
  const points = f.points.map((p, pi): Point => {
    const g = graphs.get(graphKey(p))!;
    let predicted: Predicted | null = null;
    let measured: Measured | null = null;
    if (p.predicted) {
      const { ops, ...rest } = p.predicted;
      predicted = { ...rest, ops: expandOps(f.nodes, g, ops, p.batch, `points[${pi}].predicted.ops`) };
    }
    if (p.measured) {
      const { ops, ...rest } = p.measured;
      measured = { ...rest, ops: expandOps(f.nodes, g, ops, p.batch, `points[${pi}].measured.ops`) };
    }
    return {
      strategy: p.strategy,
      retention: p.retention,
      batch: p.batch,
      predicted,
      measured,
      error: p.error,
    };
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: f.tool,
    createdAt: f.createdAt,
    device: f.device,
    model: f.model,
    dtype: f.dtype,
    allocator: f.allocator,
    chunk: f.chunk,
    optimizer: f.optimizer,
    microBatches: f.microBatches,
    loss: f.loss,
    lossChunk: f.lossChunk,
    points,
    maxBatch: f.maxBatch,
  };
}
