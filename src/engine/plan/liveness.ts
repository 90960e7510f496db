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
 * - A tensor's category comes from the graph where it declares one (Graph.categories: optimizer
 *   state, accumulated gradients, updated parameters, gradients an optimizer consumes), else
 *   from these rules (categoryOf).
 * - Every other tensor lives from its writer to its last reader and is freed after that step;
 *   a tensor no node reads is freed right after its writer.
 * - Alias ops (an op's `ort.alias`, src/engine/ops) allocate nothing: their output shares their
 *   input's buffer, so its readers extend that buffer's life, and an alias that is a graph output
 *   keeps it to the end (measured: a Reshape producing a gradient output copies nothing).
 * - A kernel that may run in place (`ort.mayInplace`) writes its output into its input's buffer when
 *   it is that buffer's last user, as onnxruntime's allocation planner decides: no allocation.
 * - Kernel scratch buffers (`ort.scratch`) are allocated and freed within their node's step.
 */
import type { Graph } from '../graph/graph';
import { dtypeBytes } from '../graph/shape';
import type { DType, FloatDType, Phase, Shape } from '../graph/types';
import { inplacePairs, isAliasOp, readsOnGpu, scratchBuffers } from '../ops/index';
import { bufferSizeFor } from '../ort/bufferManager';
import { isAttentionScope, isGradName, type Allocator, type Category } from '../vocabulary';
import { ortExecutionOrder, type Schedule, type ScheduledNode } from './order';

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
  /** The tensor that owns the buffer (for a scratch buffer, a display name: `<node>#<label>`). */
  tensor: string;
  /** A kernel's scratch buffer: not a graph tensor, never reused by the allocation planner. */
  scratch: boolean;
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
const FORWARD_WRITER = 32;

/** What a buffer's buffers-to-be are made of, before their category and last step are settled. */
type NewBuffer = Omit<PlannedBuffer, 'id' | 'aliases' | 'bytes' | 'attention' | 'scratch'>;

/** Builds the liveness of one schedule, step by step (see analyseLiveness). */
class LivenessBuilder {
  readonly buffers: PlannedBuffer[] = [];
  readonly steps: PlannedStep[] = [];
  readonly resident: number[] = [];
  readonly bufferOf = new Map<string, number>();
  /** Per buffer: facts gathered as tensors join it (bit flags). */
  private readonly flags: number[] = [];
  /** Per buffer: the category the graph declares for a tensor in it (Graph.categories), if any. */
  private readonly declared: (Category | undefined)[] = [];
  private readonly outputs: ReadonlySet<string>;
  private readonly retained: ReadonlySet<string>;
  /** One LinearBytes per size (buffers of one size share it: fewer objects to allocate and collect). */
  private readonly sizes = new Map<number, LinearBytes>();
  /** isAttentionScope per scope seen (many buffers share a scope). */
  private readonly attentionScopes = new Map<string, boolean>();
  constructor(
    private readonly g: Graph,
    private readonly schedule: Schedule,
    private readonly dtype: FloatDType | undefined,
  ) {
    this.outputs = new Set(g.outputs);
    this.retained = new Set(g.retained);
  }

  private sized(d: DType): DType {
    return this.dtype && isFloat(d) ? this.dtype : d;
  }

  /** Tensor `name` now lives in buffer `id`. */
  private join(id: number, name: string): void {
    this.bufferOf.set(name, id);
    const declared = this.g.categories.get(name);
    if (declared) this.declared[id] = declared;
    if (this.retained.has(name)) this.flags[id]! |= KEPT | RETAINED;
    else if (this.outputs.has(name)) this.flags[id]! |= KEPT | OUTPUT | (isGradName(name) ? GRADIENT : 0);
  }

  private bytesOf(shape: Shape, dtype: DType): LinearBytes {
    const bytes = linearBytes(shape, dtype);
    // Sizes are whole bytes: a negative key for a size per batch, the size itself for a fixed one.
    const key = bytes.perBatch > 0 ? -bytes.perBatch : bytes.fixed;
    const seen = this.sizes.get(key);
    if (seen) return seen;
    this.sizes.set(key, bytes);
    return bytes;
  }

  private isAttention(scope: string): boolean {
    let a = this.attentionScopes.get(scope);
    if (a === undefined) this.attentionScopes.set(scope, (a = isAttentionScope(scope)));
    return a;
  }

  private add(b: NewBuffer, scratch = false): PlannedBuffer {
    const dtype = this.sized(b.dtype);
    // Every field written out in one order (no spread): V8 then gives every buffer one hidden
    // class, which keeps the later passes over the buffers (settle, peak index) fast.
    const buffer: PlannedBuffer = {
      id: this.buffers.length,
      tensor: b.tensor,
      scratch,
      aliases: [],
      shape: b.shape,
      dtype,
      bytes: this.bytesOf(b.shape, dtype),
      resident: b.resident,
      category: b.category,
      scope: b.scope,
      attention: this.isAttention(b.scope),
      producer: b.producer,
      first: b.first,
      last: b.last,
    };
    this.buffers.push(buffer);
    this.flags.push(0);
    if (!scratch) this.join(buffer.id, b.tensor);
    return buffer;
  }

  /** A buffer uploaded at session creation: a parameter, or a constant some kernel reads on the GPU. */
  addResident(name: string, scope: string): number {
    const t = this.g.info(name);
    const b = this.add({
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
    this.resident.push(b.id);
    return b.id;
  }

  /** Step 0, the pseudo-node "input": uploads the graph inputs, live to the end. */
  addInputStep(): void {
    const step: PlannedStep = {
      node: null,
      name: 'input',
      opType: 'Input',
      phase: 'forward',
      scope: 'input',
      allocs: [],
      frees: [],
    };
    this.steps.push(step);
    for (const name of this.g.inputs) {
      const t = this.g.info(name);
      const b = this.add({
        tensor: name,
        shape: t.shape,
        dtype: t.dtype,
        resident: false,
        category: this.g.categories.get(name) ?? 'input',
        scope: 'input',
        producer: 'input',
        first: 0,
        last: END,
      });
      step.allocs.push(b.id);
    }
  }

  /** Step `step` runs scheduled node `s`: it reads its inputs, then allocates or aliases its outputs. */
  addNodeStep(s: ScheduledNode, step: number): void {
    const { node } = s;
    const planned: PlannedStep = {
      node: s,
      name: node.name,
      opType: node.opType,
      phase: node.phase,
      scope: node.scope,
      allocs: [],
      frees: [],
    };
    this.steps.push(planned);
    const alias = isAliasOp(node.opType);
    this.readInputs(s, step, alias);
    if (alias) {
      this.aliasOutput(s);
      return;
    }
    const outputs = node.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const t = outputs[j]!;
      if (this.computedInPlace(s, step, t, j)) continue;
      const info = this.g.info(t);
      this.allocate(planned, step, t, info.shape, info.dtype, false);
    }
    for (const sc of scratchBuffers(this.g, node, s.inputs))
      this.allocate(planned, step, `${node.name}#${sc.label}`, sc.shape, sc.dtype, true);
  }

  /** A buffer `planned`'s node (step `step`) writes: an output, or a scratch buffer. */
  private allocate(
    planned: PlannedStep,
    step: number,
    tensor: string,
    shape: Shape,
    dtype: DType,
    scratch: boolean,
  ): void {
    const b = this.add(
      {
        tensor,
        shape,
        dtype,
        resident: false,
        category: 'temporary',
        scope: planned.scope,
        producer: planned.name,
        first: step,
        last: step,
      },
      scratch,
    );
    if (planned.phase === 'forward') this.flags[b.id]! |= FORWARD_WRITER;
    appendId(planned, 'allocs', b.id);
  }

  /**
   * Extends the life of every buffer `s` reads on the GPU to this step (an alias reads nothing
   * itself: its readers do); a constant read on the GPU becomes resident at its first read.
   */
  private readInputs(s: ScheduledNode, step: number, alias: boolean): void {
    const { node } = s;
    const inputs = s.inputs;
    for (let slot = 0; slot < inputs.length; slot++) {
      if (!readsOnGpu(node, slot)) continue;
      const t = inputs[slot]!;
      let id = this.bufferOf.get(t);
      if (id === undefined) {
        if (this.g.info(t).kind !== 'const') continue;
        id = this.addResident(t, node.scope);
      }
      const b = this.buffers[id]!;
      if (b.resident && b.scope === '') {
        b.scope = node.scope;
        b.attention = this.isAttention(node.scope);
      }
      if (alias) continue;
      if (b.last !== END) b.last = Math.max(b.last, step);
      if (node.phase !== 'forward') this.flags[id]! |= READ_BY_BACKWARD;
    }
  }

  /** An alias op's output shares its input's buffer. */
  private aliasOutput(s: ScheduledNode): void {
    const input = s.inputs[0]!;
    const output = s.node.outputs[0]!;
    const id = this.bufferOf.get(input);
    if (id === undefined) throw new Error(`${s.node.name}: aliased input ${input} has no buffer`);
    this.buffers[id]!.aliases.push(output);
    this.join(id, output);
  }

  /**
   * Whether output `j` (tensor `t`) of an in-place kernel takes its input's buffer: onnxruntime's
   * allocation planner reuses it when this step is the last to touch it and nothing keeps it.
   */
  private computedInPlace(s: ScheduledNode, step: number, t: string, j: number): boolean {
    const pair = inplacePairs(s.node).find(([, out]) => out === j);
    const id = pair ? this.bufferOf.get(s.inputs[pair[0]]!) : undefined;
    if (id === undefined) return false;
    const b = this.buffers[id]!;
    const out = linearBytes(this.g.info(t).shape, this.sized(this.g.info(t).dtype));
    const reusable =
      !b.resident &&
      b.first > 0 &&
      !(this.flags[id]! & KEPT) &&
      !this.outputs.has(t) &&
      !this.retained.has(t) &&
      b.bytes.perBatch === out.perBatch &&
      b.bytes.fixed === out.fixed &&
      !this.readAfter(step, [b.tensor, ...b.aliases]);
    if (!reusable) return false;
    b.aliases.push(t);
    this.join(id, t);
    return true;
  }

  /** Whether a node after step `step` reads one of `tensors` (alias ops included). */
  private readAfter(step: number, tensors: readonly string[]): boolean {
    const nodes = this.schedule.nodes;
    // Step k runs nodes[k - 1]: the nodes after step `step` start at nodes[step].
    for (let k = step; k < nodes.length; k++) {
      for (const t of nodes[k]!.inputs) if (tensors.includes(t)) return true;
    }
    return false;
  }

  /** Categories from the gathered facts; kept buffers live to the end, the rest freed after their last step. */
  settle(): void {
    for (const b of this.buffers) {
      if (b.resident || b.first === 0) continue;
      const f = this.flags[b.id]!;
      if (f & KEPT) b.last = END;
      b.category = this.declared[b.id] ?? categoryOf(f);
      if (b.last !== END) appendId(this.steps[b.last]!, 'frees', b.id);
    }
  }
}

/**
 * Appends `id` to a step's list. Most lists hold one id: the first is a one-element array, where
 * pushing onto the empty one would reserve room for 17 (a third of a training graph's liveness in
 * unused slots, which the collector copies while the plan lives).
 */
function appendId(step: PlannedStep, list: 'allocs' | 'frees', id: number): void {
  const ids = step[list];
  if (ids.length === 0) step[list] = [id];
  else ids.push(id);
}

/** The category of a buffer written during the step, from its flags (its writer's phase among them). */
function categoryOf(flags: number): Category {
  if (flags & RETAINED) return 'activation';
  if (flags & OUTPUT) return flags & GRADIENT ? 'gradient' : 'output';
  if (flags & READ_BY_BACKWARD && flags & FORWARD_WRITER) return 'activation';
  return 'temporary';
}

export function analyseLiveness(g: Graph, opts: LivenessOptions = {}): Liveness {
  const schedule = opts.schedule ?? ortExecutionOrder(g);
  const b = new LivenessBuilder(g, schedule, opts.dtype);
  // Parameters are initializers whether or not a kernel reads them; constants become GPU
  // buffers only when some kernel reads them on the GPU (at their first such read).
  for (const name of g.params) b.addResident(name, '');
  b.addInputStep();
  for (let k = 0; k < schedule.nodes.length; k++) b.addNodeStep(schedule.nodes[k]!, k + 1);
  b.settle();
  return {
    graph: g,
    schedule,
    buffers: b.buffers,
    steps: b.steps,
    resident: b.resident,
    bufferOf: b.bufferOf,
    dtypeOverride: opts.dtype ?? null,
  };
}
