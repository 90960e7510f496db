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
import type { CacheMode, ElementType } from '../vocabulary';
import type { BufferClassStats, NodeMeta, NonTensorClass } from './types';

export interface FeedInfo {
  name: string;
  dtype: ElementType;
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

/** Why the profile's kernel events cannot be matched to the traced dispatches, or null. */
function bindingsMismatch(kernels: ParsedProfile['kernels'], dispatches: TraceEvent[]): string | null {
  if (kernels.length === 0) return 'no kernel events in the profile (no timestamp-query?)';
  if (kernels.length !== dispatches.length)
    return `${kernels.length} kernel events but ${dispatches.length} dispatches`;
  for (let k = 0; k < kernels.length; k++) {
    const kernel = kernels[k]!;
    const bound = (dispatches[k] as Extract<TraceEvent, { kind: 'dispatch' }>).buffers.length;
    const extra = bound - kernel.inputShapes.length - kernel.outputShapes.length;
    if (extra !== 0 && extra !== 1) return `dispatch ${k} binds ${bound} buffers, kernel ${kernel.node}`;
  }
  return null;
}

/** One tensor's life in a storage buffer: from the slot that writes it to the last that reads it. */
interface Generation {
  bytes: number;
  writer: number;
  lastUse: number;
  kind: 'param' | 'input' | 'step' | 'unknown';
  /** A graph output: live until the run returns. */
  output: boolean;
}

/**
 * Follows every storage buffer through the step's events, slot by slot (slot 0: the graph inputs'
 * upload; slot i: profile node i-1), cutting it into generations (see the module comment).
 */
class GenerationWalk {
  readonly gens: Generation[] = [];
  readonly current = new Map<number, Generation>();
  /** A graph output kept on the GPU: the generation its node's LAST dispatch wrote as that output. */
  readonly keptOnGpu = new Map<string, Generation>();
  private slot = 0;

  constructor(private readonly sizes: Map<number, LiveBuffer>) {}

  private isStorage(id: number): boolean {
    return this.sizes.get(id)?.cls === 'storage';
  }

  /** Buffers live before the step (parameters): one generation each, never freed. */
  seed(baseline: readonly LiveBuffer[]): void {
    for (const b of baseline) {
      if (b.cls === 'storage')
        this.current.set(b.id, { bytes: b.size, writer: 0, lastUse: 0, kind: 'param', output: false });
    }
  }

  enter(slot: number): void {
    this.slot = slot;
  }

  private start(id: number, kind: Generation['kind']): Generation {
    const g: Generation = {
      bytes: this.sizes.get(id)!.size,
      writer: this.slot,
      lastUse: this.slot,
      kind,
      output: false,
    };
    this.gens.push(g);
    this.current.set(id, g);
    return g;
  }

  /** A write by a new slot starts a new generation (onnxruntime reused a freed buffer). */
  write(id: number): Generation | undefined {
    if (!this.isStorage(id)) return undefined;
    const g = this.current.get(id);
    const stale = !g || ((g.kind === 'step' || g.kind === 'unknown') && g.writer !== this.slot);
    if (stale) return this.start(id, this.slot === 0 ? 'input' : 'step');
    g.lastUse = Math.max(g.lastUse, this.slot);
    return g;
  }

  read(id: number): void {
    if (!this.isStorage(id)) return;
    const g = this.current.get(id) ?? this.start(id, 'unknown');
    g.lastUse = Math.max(g.lastUse, this.slot);
  }

  /** A copy to a mappable buffer: the source is downloaded, a graph output. */
  download(id: number): void {
    if (!this.isStorage(id)) return;
    const g = this.current.get(id);
    if (g) g.output = true;
    else this.read(id);
  }
}

function byBindings(inp: AttributionInput, sizes: Map<number, LiveBuffer>): BindingsOutcome {
  const { kernels, nodes } = inp.profile;
  const mismatch = bindingsMismatch(
    kernels,
    inp.events.filter((e) => e.kind === 'dispatch'),
  );
  if (mismatch) return { failed: mismatch };
  const slotOf = new Map(nodes.map((n, i) => [n.name, i + 1]));
  const outputNames = new Map(inp.nodes.map((n) => [n.name, n.outputs ?? []]));
  const slots = newSlots(nodes.length + 1);
  const walk = new GenerationWalk(sizes);
  walk.seed(inp.baseline);

  let slot = 0;
  let k = 0;
  for (const e of inp.events) {
    if (e.kind === 'dispatch') {
      const kernel = kernels[k++]!;
      slot = slotOf.get(kernel.node) ?? slot;
      walk.enter(slot);
      slots.gpuUs[slot] = (slots.gpuUs[slot] ?? 0) + kernel.durUs;
      const nIn = kernel.inputShapes.length;
      e.buffers.slice(0, nIn).forEach((id) => walk.read(id));
      e.buffers.slice(nIn, nIn + kernel.outputShapes.length).forEach((id, j) => {
        const g = walk.write(id);
        const tensor = outputNames.get(kernel.node)?.[j];
        if (g && tensor !== undefined && inp.gpuOutputs?.has(tensor)) walk.keptOnGpu.set(tensor, g);
      });
    } else if (e.kind === 'copy') {
      if (sizes.get(e.dst)?.cls === 'storage') {
        walk.read(e.src);
        walk.write(e.dst);
      } else walk.download(e.src);
    } else if (e.kind === 'write') {
      walk.write(e.dst);
    }
  }
  for (const g of walk.keptOnGpu.values()) g.output = true;
  return { slots: settleGenerations(walk, slots), unattributed: unattributedBytes(inp, walk) };
}

/** Each generation's bytes: allocated by its writer, freed after its last use unless kept. */
function settleGenerations(walk: GenerationWalk, slots: Slots): Slots {
  for (const g of walk.gens) {
    if (g.kind !== 'step' && g.kind !== 'input') continue;
    slots.alloc[g.writer]! += g.bytes;
    if (g.kind === 'step' && !g.output) slots.freed[g.lastUse]! += g.bytes;
  }
  return slots;
}

/** Storage bytes no node explains: buffers created but never bound, and ones read before any write. */
function unattributedBytes(inp: AttributionInput, walk: GenerationWalk): number {
  let unattributed = 0;
  for (const e of inp.events) {
    if (e.kind === 'create' && e.cls === 'storage' && !walk.current.has(e.id)) unattributed += e.size;
  }
  for (const g of walk.gens) if (g.kind === 'unknown') unattributed += g.bytes;
  return unattributed;
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

/** The slots as op records (slot 0: the pseudo-node "input"), with the running live bytes and peak. */
function opRecords(
  inp: AttributionInput,
  slots: Slots,
  startBytes: number,
  notes: string[],
): { ops: OpRecord[]; peak: number } {
  const meta = new Map(inp.nodes.map((n) => [n.name, n]));
  let live = startBytes;
  let peak = live;
  const ops = [undefined, ...inp.profile.nodes].map((node, s): OpRecord => {
    live += slots.alloc[s]!;
    peak = Math.max(peak, live);
    live -= slots.freed[s]!;
    const bytes = { allocBytes: slots.alloc[s]!, freedBytes: slots.freed[s]!, liveBytesAfter: live };
    if (!node) {
      const outputs = inp.feeds.map(({ name, shape, dtype, bytes }) => ({ name, shape, dtype, bytes }));
      return {
        node: 'input',
        opType: 'Input',
        phase: 'forward',
        scope: 'input',
        ...bytes,
        outputs,
        gpuMs: null,
      };
    }
    const m = meta.get(node.name);
    if (!m) notes.push(`profiled node ${node.name} is not in the request's node list`);
    const us = slots.gpuUs[s];
    return {
      node: node.name,
      opType: node.opType || m?.opType || '',
      phase: m?.phase ?? 'forward',
      scope: m?.scope ?? '',
      ...bytes,
      outputs: outputsOf(node, m),
      gpuMs: us === null || us === undefined ? null : us / 1000,
    };
  });
  return { ops, peak };
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
  const { ops, peak } = opRecords(inp, slots, baselineBytes + unattributed, notes);
  // Live tensors sit in buffers that exist, so the reserved peak bounds the live one. Without timed
  // frees (sizes method) the in-use peak is not known better than that bound.
  if (method === 'bindings' && peak > peakReserved)
    notes.push(`attributed live peak ${peak} B exceeds the reserved peak ${peakReserved} B: capped`);
  const peakLiveBytes = method === 'sizes' ? peakReserved : Math.min(peak, peakReserved);
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
