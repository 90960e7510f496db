/**
 * Attribution: ties every storage buffer seen during one step to the graph node that caused it.
 *
 * Primary method, 'bindings': the native WebGPU EP profiles one "Api" kernel event per program
 * dispatch, in dispatch order, with its input and output counts; the tracer saw the same
 * dispatches with their bind groups (inputs, then outputs, then an optional uniform buffer). So
 * dispatch k's output buffers are written by kernel k's node. A buffer bound as output by a new
 * node starts a new tensor "generation" (ORT's allocation planner reuses freed buffers of equal
 * size without a createBuffer). A generation lives from its writer to its last reader; graph
 * inputs (uploaded before the first dispatch, pseudo-node "input") and graph outputs (downloaded
 * after the run) live to the end; buffers created before the step (parameters) throughout.
 *
 * Fallback method, 'sizes' (no kernel events, e.g. no timestamp-query, or counts that disagree):
 * align the storage buffers created during the step with the executed nodes' output sizes,
 * rounded as the cache mode rounds them. Aliasing ops (Reshape...) allocate nothing; a creation
 * that matches no pending output goes to the current node as a temporary. Frees are not timed.
 *
 * Nothing is dropped: a buffer no node explains counts in unattributedBytes (live all step).
 */
import { isAliasOp } from '../ops/index';
import { bufferSizeFor } from '../ort/bufferManager';
import type { OpRecord } from '../report/schema';
import type { ParsedProfile, ProfileNode } from './profile';
import type { CreateEvent, LiveBuffer, TraceEvent } from './tracer';
import type { CacheMode } from '../vocabulary';
import type { BufferClassStats, NodeMeta, NonTensorClass } from './types';

export interface FeedInfo {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
}

export interface AttributionInput {
  /** Trace events of the step window (after the step-start mark, before step-end). */
  events: TraceEvent[];
  /** Buffers (all classes) live when the step starts. */
  baseline: LiveBuffer[];
  profile: ParsedProfile;
  nodes: NodeMeta[];
  feeds: FeedInfo[];
  cacheMode: CacheMode;
  /**
   * Graph outputs kept on the GPU (not downloaded): live until the run returns, like downloaded
   * outputs. Matched through `nodes[].outputs`.
   */
  gpuOutputs?: ReadonlySet<string>;
  method?: 'auto' | 'sizes';
}

export interface Attribution {
  ops: OpRecord[];
  peakLiveBytes: number;
  peakReservedBytes: number;
  baselineBytes: number;
  unattributedBytes: number;
  nonTensorBytes: number;
  nonTensor: Record<NonTensorClass, BufferClassStats>;
  method: 'bindings' | 'sizes';
  notes: string[];
}

/** Per-slot accumulators; slot 0 is the pseudo-node "input", slot i+1 is profile node i. */
interface Slots {
  alloc: number[];
  freed: number[];
  gpuUs: (number | null)[];
}

function newSlots(n: number): Slots {
  return { alloc: Array(n).fill(0), freed: Array(n).fill(0), gpuUs: Array(n).fill(null) };
}

type BindingsOutcome = { slots: Slots; unattributed: number } | { failed: string };

function byBindings(inp: AttributionInput, sizes: Map<number, LiveBuffer>): BindingsOutcome {
  const { kernels, nodes } = inp.profile;
  const dispatches = inp.events.filter((e) => e.kind === 'dispatch');
  if (kernels.length === 0) return { failed: 'no kernel events in the profile (no timestamp-query?)' };
  if (kernels.length !== dispatches.length)
    return { failed: `${kernels.length} kernel events but ${dispatches.length} dispatches` };
  for (let k = 0; k < kernels.length; k++) {
    const extra =
      dispatches[k]!.buffers.length - kernels[k]!.inputShapes.length - kernels[k]!.outputShapes.length;
    if (extra !== 0 && extra !== 1)
      return {
        failed: `dispatch ${k} binds ${dispatches[k]!.buffers.length} buffers, kernel ${kernels[k]!.node}`,
      };
  }
  const slotOf = new Map<string, number>();
  nodes.forEach((n, i) => slotOf.set(n.name, i + 1));
  const slots = newSlots(nodes.length + 1);

  interface Gen {
    bytes: number;
    writer: number;
    lastUse: number;
    kind: 'param' | 'input' | 'step' | 'unknown';
    output: boolean;
  }
  const gens: Gen[] = [];
  const current = new Map<number, Gen>();
  const isStorage = (id: number) => sizes.get(id)?.cls === 'storage';
  for (const b of inp.baseline) {
    if (b.cls === 'storage')
      current.set(b.id, { bytes: b.size, writer: 0, lastUse: 0, kind: 'param', output: false });
  }
  let cur = 0;
  const start = (id: number, kind: Gen['kind']) => {
    const g: Gen = { bytes: sizes.get(id)!.size, writer: cur, lastUse: cur, kind, output: false };
    gens.push(g);
    current.set(id, g);
    return g;
  };
  const write = (id: number) => {
    if (!isStorage(id)) return;
    const g = current.get(id);
    if (!g || ((g.kind === 'step' || g.kind === 'unknown') && g.writer !== cur))
      start(id, cur === 0 ? 'input' : 'step');
    else g.lastUse = Math.max(g.lastUse, cur);
  };
  const read = (id: number) => {
    if (!isStorage(id)) return;
    const g = current.get(id) ?? start(id, 'unknown');
    g.lastUse = Math.max(g.lastUse, cur);
  };

  const outputNames = new Map(inp.nodes.map((n) => [n.name, n.outputs ?? []]));
  /**
   * A graph output kept on the GPU: the buffer the node's LAST dispatch wrote as that output (a
   * multi-dispatch kernel such as MultiHeadAttention writes scratch buffers as outputs first).
   */
  const keptOnGpu = new Map<string, Gen>();
  let k = 0;
  for (const e of inp.events) {
    if (e.kind === 'dispatch') {
      const kernel = kernels[k++]!;
      cur = slotOf.get(kernel.node) ?? cur;
      slots.gpuUs[cur] = (slots.gpuUs[cur] ?? 0) + kernel.durUs;
      const nIn = kernel.inputShapes.length;
      e.buffers.slice(0, nIn).forEach(read);
      e.buffers.slice(nIn, nIn + kernel.outputShapes.length).forEach((id, j) => {
        write(id);
        const tensor = outputNames.get(kernel.node)?.[j];
        const g = current.get(id);
        if (g && tensor !== undefined && inp.gpuOutputs?.has(tensor)) keptOnGpu.set(tensor, g);
      });
    } else if (e.kind === 'copy') {
      if (isStorage(e.dst)) {
        read(e.src);
        write(e.dst);
      } else if (isStorage(e.src)) {
        const g = current.get(e.src);
        if (g)
          g.output = true; // downloaded: a graph output, live until the run returns
        else read(e.src);
      }
    } else if (e.kind === 'write') {
      write(e.dst);
    }
  }

  for (const g of keptOnGpu.values()) g.output = true;

  let unattributed = 0;
  const touched = new Set(current.keys());
  for (const e of inp.events) {
    if (e.kind === 'create' && e.cls === 'storage' && !touched.has(e.id)) unattributed += e.size;
  }
  for (const g of gens) {
    if (g.kind === 'unknown') unattributed += g.bytes;
    else if (g.kind === 'step' || g.kind === 'input') {
      slots.alloc[g.writer]! += g.bytes;
      if (g.kind === 'step' && !g.output) slots.freed[g.lastUse]! += g.bytes;
    }
  }
  return { slots, unattributed };
}

function bySizes(inp: AttributionInput, notes: string[]): { slots: Slots; unattributed: number } {
  const nodes = inp.profile.nodes;
  const slots = newSlots(nodes.length + 1);
  const creates = inp.events.filter((e): e is CreateEvent => e.kind === 'create' && e.cls === 'storage');
  const round = (b: number) => bufferSizeFor(b, inp.cacheMode);
  let p = 0;
  for (const f of inp.feeds) {
    if (creates[p]?.size === round(f.bytes)) slots.alloc[0]! += creates[p++]!.size;
  }
  const expected = nodes.map((n) =>
    isAliasOp(n.opType) ? [] : n.outputs.filter((o) => o.bytes > 0).map((o) => round(o.bytes)),
  );
  const LOOKAHEAD = 8;
  for (let i = 0; i < nodes.length; i++) {
    for (const size of expected[i]!) {
      for (let c = creates[p]; c; c = creates[p]) {
        if (c.size === size) {
          slots.alloc[i + 1]! += creates[p++]!.size;
          break;
        }
        // A later node's output: this output reused a freed buffer (no creation).
        if (expected.slice(i + 1, i + 1 + LOOKAHEAD).some((sizes) => sizes.includes(c.size))) break;
        slots.alloc[i + 1]! += creates[p++]!.size; // a temporary of the current node
      }
    }
  }
  const unattributed = creates.slice(p).reduce((a, c) => a + c.size, 0);
  if (p < creates.length) notes.push(`${creates.length - p} storage buffers left after size alignment`);
  for (const k of inp.profile.kernels) {
    const i = nodes.findIndex((n) => n.name === k.node);
    if (i >= 0) slots.gpuUs[i + 1] = (slots.gpuUs[i + 1] ?? 0) + k.durUs;
  }
  return { slots, unattributed };
}

function classStats(inp: AttributionInput): {
  peakReserved: number;
  nonTensor: Record<NonTensorClass, BufferClassStats>;
} {
  const classes: NonTensorClass[] = ['uniform', 'staging', 'query', 'other'];
  const live: Record<string, number> = { storage: 0, uniform: 0, staging: 0, query: 0, other: 0 };
  for (const b of inp.baseline) live[b.cls]! += b.size;
  const stats = Object.fromEntries(
    classes.map((c) => [c, { count: 0, bytes: 0, peakBytes: live[c]! }]),
  ) as Record<NonTensorClass, BufferClassStats>;
  let peakReserved = live.storage!;
  for (const e of inp.events) {
    if (e.kind !== 'create' && e.kind !== 'destroy') continue;
    live[e.cls]! += e.kind === 'create' ? e.size : -e.size;
    if (e.cls === 'storage') peakReserved = Math.max(peakReserved, live.storage!);
    else {
      const s = stats[e.cls];
      if (e.kind === 'create') {
        s.count++;
        s.bytes += e.size;
      }
      s.peakBytes = Math.max(s.peakBytes, live[e.cls]!);
    }
  }
  return { peakReserved, nonTensor: stats };
}

function outputsOf(node: ProfileNode, meta: NodeMeta | undefined): OpRecord['outputs'] {
  return node.outputs.map((o, i) => ({
    name: meta?.outputs?.[i] ?? `${node.name}:${i}`,
    shape: o.shape,
    dtype: o.dtype,
    bytes: o.bytes,
  }));
}

export function attribute(inp: AttributionInput): Attribution {
  const notes: string[] = [];
  const sizes = new Map<number, LiveBuffer>();
  for (const b of inp.baseline) sizes.set(b.id, b);
  for (const e of inp.events) {
    if (e.kind === 'create') sizes.set(e.id, { id: e.id, size: e.size, usage: e.usage, cls: e.cls });
  }
  let method: Attribution['method'] = 'bindings';
  let outcome: BindingsOutcome = { failed: 'sizes method requested' };
  if (inp.method !== 'sizes') outcome = byBindings(inp, sizes);
  if ('failed' in outcome) {
    notes.push(`bindings attribution unavailable: ${outcome.failed}; aligned by output sizes`);
    method = 'sizes';
    outcome = bySizes(inp, notes);
  }
  const { slots, unattributed } = outcome;
  const { peakReserved, nonTensor } = classStats(inp);
  const baselineBytes = inp.baseline.filter((b) => b.cls === 'storage').reduce((a, b) => a + b.size, 0);

  const meta = new Map(inp.nodes.map((n) => [n.name, n]));
  let live = baselineBytes + unattributed;
  let peak = live;
  const ops: OpRecord[] = [];
  const nodes = inp.profile.nodes;
  for (let s = 0; s <= nodes.length; s++) {
    live += slots.alloc[s]!;
    peak = Math.max(peak, live);
    live -= slots.freed[s]!;
    const us = slots.gpuUs[s];
    const common = { allocBytes: slots.alloc[s]!, freedBytes: slots.freed[s]!, liveBytesAfter: live };
    if (s === 0) {
      const outputs = inp.feeds.map((f) => ({
        name: f.name,
        shape: f.shape,
        dtype: f.dtype,
        bytes: f.bytes,
      }));
      ops.push({
        node: 'input',
        opType: 'Input',
        phase: 'forward',
        scope: 'input',
        ...common,
        outputs,
        gpuMs: null,
      });
      continue;
    }
    const node = nodes[s - 1]!;
    const m = meta.get(node.name);
    if (!m) notes.push(`profiled node ${node.name} is not in the request's node list`);
    ops.push({
      node: node.name,
      opType: node.opType || m?.opType || '',
      phase: m?.phase ?? 'forward',
      scope: m?.scope ?? '',
      ...common,
      outputs: outputsOf(node, m),
      gpuMs: us === null || us === undefined ? null : us / 1000,
    });
  }
  // Without timed frees (sizes method) the in-use peak is not known better than the reserved one.
  const peakLiveBytes = method === 'sizes' ? Math.max(peak, peakReserved) : peak;
  const nonTensorBytes = Object.values(nonTensor).reduce((a, s) => a + s.bytes, 0);
  return {
    ops,
    peakLiveBytes,
    peakReservedBytes: peakReserved,
    baselineBytes,
    unattributedBytes: unattributed,
    nonTensorBytes,
    nonTensor,
    method,
    notes,
  };
}
