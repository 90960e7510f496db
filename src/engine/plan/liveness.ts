/**
 * Liveness, once per graph and symbolic in the batch: every GPU buffer the step needs, its size
 * as perBatch·B + fixed bytes, the step that allocates it and the last step that reads it.
 *
 * Steps follow the measured step (runtime/attribute.ts): step 0 is the pseudo-node "input"
 * (uploads the graph inputs), steps 1..n the nodes in onnxruntime's order (order.ts).
 * - Parameters and the constants some kernel reads on the GPU are resident: uploaded at session
 *   creation, live throughout, never freed.
 * - Graph inputs are allocated at step 0 and live to the end; so do graph outputs (loss,
 *   gradients and the tensors a tape retains) from the node that writes them.
 * - Every other tensor lives from its writer to its last reader and is freed after that step;
 *   a tensor no node reads is freed right after its writer.
 * - Alias ops (runtime/attribute.ts ALIAS_OPS) allocate nothing: their output shares their
 *   input's buffer, so its readers extend that buffer's life, and an alias that is a graph output
 *   keeps it to the end (measured: a Reshape producing a gradient output copies nothing).
 * - A kernel that may run in place (kernels.ts) writes its output into its input's buffer when
 *   it is that buffer's last user, as onnxruntime's allocation planner decides: no allocation.
 * - Kernel scratch buffers (kernels.ts) are allocated and freed within their node's step.
 */
import type { Graph } from '../graph/graph';
import { dtypeBytes } from '../graph/shape';
import type { DType, FloatDType, Phase, Shape } from '../graph/types';
import { ALIAS_OPS, bufferSizeFor } from '../runtime/attribute';
import { inplacePairs, readsOnGpu, scratchBuffers } from './kernels';
import { ortExecutionOrder, type Schedule, type ScheduledNode } from './order';

export type Allocator = 'lazy' | 'bucket';

/**
 * parameter, constant (graph constants resident on the GPU), input, activation (forward tensors
 * kept for the backward pass: read by a backward or recompute node, or retained by a tape),
 * temporary (everything else), gradient (graph outputs `grad/*`), output (other graph outputs).
 */
export const CATEGORIES = [
  'parameter',
  'constant',
  'input',
  'activation',
  'temporary',
  'gradient',
  'output',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A size in bytes as a function of the batch: perBatch·B + fixed. */
export interface LinearBytes {
  perBatch: number;
  fixed: number;
}

export function linearBytes(shape: Shape, dtype: DType): LinearBytes {
  let rest = dtypeBytes(dtype);
  let batchDims = 0;
  for (const d of shape) {
    if (d === 'B') batchDims++;
    else rest *= d;
  }
  if (batchDims > 1) throw new Error(`shape [${shape.join(', ')}] mentions the batch more than once`);
  return batchDims ? { perBatch: rest, fixed: 0 } : { perBatch: 0, fixed: rest };
}

export const exactBytes = (b: LinearBytes, batch: number): number => b.perBatch * batch + b.fixed;

/**
 * The size of the GPU buffer holding `b` bytes: 'lazy' rounds to 16 bytes (lazyRelease), 'bucket'
 * to onnxruntime's bucket table. Resident buffers (initializers) are never bucketed.
 */
export function bufferBytes(b: LinearBytes, batch: number, allocator: Allocator, resident = false): number {
  return bufferSizeFor(exactBytes(b, batch), allocator === 'bucket' && !resident ? 'bucket' : 'lazyRelease');
}

/** One GPU buffer of the step. */
export interface PlannedBuffer {
  id: number;
  /** The tensor that owns the buffer (for scratch buffers, `<node>#<label>`). */
  tensor: string;
  /** Outputs of alias ops that share it. */
  aliases: string[];
  shape: Shape;
  dtype: DType;
  bytes: LinearBytes;
  /** Uploaded at session creation (parameters, constants): live throughout, never bucketed. */
  resident: boolean;
  category: Category;
  /** Scope of the writer (of the first reader for parameters and constants). */
  scope: string;
  attention: boolean;
  /** The writing node, 'input' for graph inputs, 'initializer' for resident buffers. */
  producer: string;
  /** Step that allocates it; -1 for resident buffers. */
  first: number;
  /** Last step it is live in; `END` when it is kept to the end of the step. */
  last: number;
}

export const END = Number.POSITIVE_INFINITY;

export interface PlannedStep {
  /** Null for step 0, the pseudo-node "input". */
  node: ScheduledNode | null;
  name: string;
  opType: string;
  phase: Phase;
  scope: string;
  /** Buffers allocated by this step. */
  allocs: number[];
  /** Buffers freed after this step. */
  frees: number[];
}

export interface Liveness {
  graph: Graph;
  schedule: Schedule;
  buffers: PlannedBuffer[];
  steps: PlannedStep[];
  /** Resident buffers (live before step 0). */
  resident: number[];
  /** Tensor name -> buffer id, for every tensor that has a buffer (aliases included). */
  bufferOf: Map<string, number>;
  /** Float tensors sized as this dtype (the graph's own unless overridden). */
  dtypeOverride: FloatDType | null;
}

export interface LivenessOptions {
  schedule?: Schedule;
  /** Size float tensors as this dtype (plan an f16 step from an f32 graph without rebuilding). */
  dtype?: FloatDType;
}

const isFloat = (d: DType): d is FloatDType => d === 'f32' || d === 'f16' || d === 'f64';

/** Per-buffer facts gathered as tensors join it (bit flags). */
const KEPT = 1;
const RETAINED = 2;
const OUTPUT = 4;
const GRADIENT = 8;
const READ_BY_BACKWARD = 16;

export function analyseLiveness(g: Graph, opts: LivenessOptions = {}): Liveness {
  const schedule = opts.schedule ?? ortExecutionOrder(g);
  const sized = (d: DType): DType => (opts.dtype && isFloat(d) ? opts.dtype : d);
  const outputs = new Set(g.outputs);
  const retained = new Set(g.retained);
  const buffers: PlannedBuffer[] = [];
  const flags: number[] = [];
  const bufferOf = new Map<string, number>();
  /** `name` now lives in buffer `id`. */
  const join = (id: number, name: string) => {
    bufferOf.set(name, id);
    if (retained.has(name)) flags[id]! |= KEPT | RETAINED;
    else if (outputs.has(name)) flags[id]! |= KEPT | OUTPUT | (name.startsWith('grad/') ? GRADIENT : 0);
  };
  const add = (b: Omit<PlannedBuffer, 'id' | 'aliases' | 'bytes' | 'attention'>): PlannedBuffer => {
    const dtype = sized(b.dtype);
    const buffer: PlannedBuffer = {
      id: buffers.length,
      tensor: b.tensor,
      aliases: [],
      shape: b.shape,
      dtype,
      bytes: linearBytes(b.shape, dtype),
      resident: b.resident,
      category: b.category,
      scope: b.scope,
      attention: b.scope.includes('attention'),
      producer: b.producer,
      first: b.first,
      last: b.last,
    };
    buffers.push(buffer);
    flags.push(0);
    if (!b.tensor.includes('#')) join(buffer.id, b.tensor);
    return buffer;
  };
  const resident: number[] = [];
  const addResident = (name: string, scope: string) => {
    const t = g.info(name);
    const b = add({
      tensor: name,
      shape: t.shape,
      dtype: t.dtype,
      resident: true,
      category: t.kind === 'param' ? 'parameter' : 'constant',
      scope,
      producer: 'initializer',
      first: -1,
      last: END,
    });
    resident.push(b.id);
    return b.id;
  };
  // Parameters are initializers whether or not a kernel reads them; constants become GPU
  // buffers only when some kernel reads them on the GPU (below, at their first such read).
  for (const name of g.params) addResident(name, '');

  const steps: PlannedStep[] = [
    { node: null, name: 'input', opType: 'Input', phase: 'forward', scope: 'input', allocs: [], frees: [] },
  ];
  for (const name of g.inputs) {
    const t = g.info(name);
    const b = add({
      tensor: name,
      shape: t.shape,
      dtype: t.dtype,
      resident: false,
      category: 'input',
      scope: 'input',
      producer: 'input',
      first: 0,
      last: END,
    });
    steps[0]!.allocs.push(b.id);
  }

  // In-place decisions need each tensor's last reader (alias ops included): only computed when
  // the schedule has a kernel that may run in place.
  let lastTouch: Map<string, number> | null = null;
  if (schedule.nodes.some((s) => inplacePairs(s.node).length > 0)) {
    lastTouch = new Map();
    schedule.nodes.forEach((s, k) => s.inputs.forEach((t) => lastTouch!.set(t, k + 1)));
  }
  const canReuse = (b: PlannedBuffer, step: number, output: string) => {
    const out = linearBytes(g.info(output).shape, sized(g.info(output).dtype));
    return (
      !b.resident &&
      b.first > 0 &&
      !(flags[b.id]! & KEPT) &&
      !outputs.has(output) &&
      !retained.has(output) &&
      b.bytes.perBatch === out.perBatch &&
      b.bytes.fixed === out.fixed &&
      [b.tensor, ...b.aliases].every((m) => (lastTouch?.get(m) ?? 0) <= step)
    );
  };

  const phaseOf = new Map<string, Phase>();
  schedule.nodes.forEach((s, k) => {
    const step = k + 1;
    const { node } = s;
    phaseOf.set(node.name, node.phase);
    const planned: PlannedStep = {
      node: s,
      name: node.name,
      opType: node.opType,
      phase: node.phase,
      scope: node.scope,
      allocs: [],
      frees: [],
    };
    steps.push(planned);
    /** A buffer this node allocates (an output or a kernel scratch buffer), live during its step. */
    const allocate = (tensor: string, shape: Shape, dtype: DType) => {
      const b = add({
        tensor,
        shape,
        dtype,
        resident: false,
        category: 'temporary',
        scope: node.scope,
        producer: node.name,
        first: step,
        last: step,
      });
      planned.allocs.push(b.id);
    };
    const alias = ALIAS_OPS.has(node.opType);
    s.inputs.forEach((t, slot) => {
      if (!readsOnGpu(node, slot)) return;
      let id = bufferOf.get(t);
      if (id === undefined) {
        if (g.info(t).kind !== 'const') return;
        id = addResident(t, node.scope);
      }
      const b = buffers[id]!;
      if (b.resident && b.scope === '') {
        b.scope = node.scope;
        b.attention = node.scope.includes('attention');
      }
      if (alias) return; // an alias reads nothing: its readers do
      if (b.last !== END) b.last = Math.max(b.last, step);
      if (node.phase !== 'forward') flags[id]! |= READ_BY_BACKWARD;
    });
    if (alias) {
      const id = bufferOf.get(s.inputs[0]!);
      if (id === undefined) throw new Error(`${node.name}: aliased input ${s.inputs[0]} has no buffer`);
      buffers[id]!.aliases.push(node.outputs[0]!);
      join(id, node.outputs[0]!);
      return;
    }
    node.outputs.forEach((t, j) => {
      const pair = inplacePairs(node).find(([, out]) => out === j);
      const reused = pair ? bufferOf.get(s.inputs[pair[0]]!) : undefined;
      if (reused !== undefined && canReuse(buffers[reused]!, step, t)) {
        buffers[reused]!.aliases.push(t);
        join(reused, t);
        return;
      }
      const info = g.info(t);
      allocate(t, info.shape, info.dtype);
    });
    for (const sc of scratchBuffers(g, node, s.inputs))
      allocate(`${node.name}#${sc.label}`, sc.shape, sc.dtype);
  });

  for (const b of buffers) {
    if (b.resident || b.first === 0) continue;
    const f = flags[b.id]!;
    if (f & KEPT) b.last = END;
    if (f & RETAINED) b.category = 'activation';
    else if (f & OUTPUT) b.category = f & GRADIENT ? 'gradient' : 'output';
    else if (f & READ_BY_BACKWARD && phaseOf.get(b.producer) === 'forward') b.category = 'activation';
    if (b.last !== END) steps[b.last]!.frees.push(b.id);
  }
  return { graph: g, schedule, buffers, steps, resident, bufferOf, dtypeOverride: opts.dtype ?? null };
}
