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
import type { DType, FloatDType, Shape, TensorInfo } from '../graph/types';
import { kernelFacts } from '../ops/index';
import type { OrtKernelFacts } from '../ops/types';
import { CATEGORIES, isAttentionScope, isGradName, type Category } from '../vocabulary';
import { ortExecutionOrder, type Schedule, type ScheduledNode } from './order';
import { perStep, plannedBuffers, plannedSteps, stepNamer } from './livenessObjects';
import {
  END,
  fromSigned,
  signedBytes,
  type LinearBytes,
  type Liveness,
  type LivenessOptions,
  type LivenessTable,
  type PlannedBuffer,
  type PlannedStep,
} from './livenessTypes';

export * from './livenessTypes';

const isFloat = (d: DType): d is FloatDType => d === 'f32' || d === 'f16' || d === 'f64';

/** Per-buffer facts gathered as tensors join it, and what it is (bit flags). */
const KEPT = 1;
const RETAINED = 2;
const OUTPUT = 4;
const GRADIENT = 8;
const READ_BY_BACKWARD = 16;
const FORWARD_WRITER = 32;
const RESIDENT = 64;
const SCRATCH = 128;
const ATTENTION = 256;

const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));

/** What the graph says of a tensor it keeps or categorises: flags to set, a declared category. */
interface Declared {
  flags: number;
  category: Category | undefined;
}

/**
 * Builds the liveness of one schedule, step by step (see analyseLiveness), into parallel arrays
 * indexed by buffer id (no object per buffer or step: PlannedBuffer and PlannedStep objects are
 * made from these only when asked for).
 */
class LivenessBuilder {
  readonly tensor: string[] = [];
  readonly shape: Shape[] = [];
  readonly dtype: DType[] = [];
  readonly bytes: LinearBytes[] = [];
  readonly category: Category[] = [];
  readonly scope: string[] = [];
  readonly producer: string[] = [];
  readonly first: number[] = [];
  readonly last: number[] = [];
  /** Bit flags per buffer (KEPT ... ATTENTION). */
  readonly flags: number[] = [];
  /** Outputs of alias ops (and in-place outputs) sharing a buffer, for the few buffers with any. */
  readonly aliases = new Map<number, string[]>();
  readonly resident: number[] = [];
  readonly bufferOf = new Map<string, number>();
  /** The category the graph declares for a tensor in a buffer (Graph.categories), for the few with one. */
  private readonly declared = new Map<number, Category>();
  /**
   * The tensors the graph keeps (outputs, retained) or declares a category for, in one map: a
   * tensor joining a buffer is looked up once, and most tensors are in none of these.
   */
  private readonly special = new Map<string, Declared>();
  /** One LinearBytes per size (buffers of one size share it). */
  private readonly sizes = new Map<number, LinearBytes>();
  /** isAttentionScope per scope seen (many buffers share a scope). */
  private readonly attentionScopes = new Map<string, boolean>();
  constructor(
    private readonly g: Graph,
    private readonly schedule: Schedule,
    private readonly dtypeOverride: FloatDType | undefined,
  ) {
    const special = (name: string): Declared => {
      let d = this.special.get(name);
      if (!d) this.special.set(name, (d = { flags: 0, category: undefined }));
      return d;
    };
    for (const [name, category] of g.categories) special(name).category = category;
    const retained = new Set(g.retained);
    for (const name of retained) special(name).flags |= KEPT | RETAINED;
    for (const name of g.outputs)
      if (!retained.has(name)) special(name).flags |= KEPT | OUTPUT | (isGradName(name) ? GRADIENT : 0);
  }

  private sized(d: DType): DType {
    return this.dtypeOverride && isFloat(d) ? this.dtypeOverride : d;
  }

  /** Tensor `name` now lives in buffer `id`. */
  private join(id: number, name: string): void {
    this.bufferOf.set(name, id);
    const d = this.special.get(name);
    if (!d) return;
    if (d.category) this.declared.set(id, d.category);
    this.flags[id]! |= d.flags;
  }

  /** Whether the graph keeps `name` to the end (a graph output or a retained tensor). */
  private kept(name: string): boolean {
    return ((this.special.get(name)?.flags ?? 0) & KEPT) !== 0;
  }

  private bytesOf(shape: Shape, dtype: DType): LinearBytes {
    // One LinearBytes per size, made only when the size is new: most buffers repeat a size.
    const key = signedBytes(shape, dtype);
    const seen = this.sizes.get(key);
    if (seen) return seen;
    const bytes = fromSigned(key);
    this.sizes.set(key, bytes);
    return bytes;
  }

  private isAttention(scope: string): boolean {
    let a = this.attentionScopes.get(scope);
    if (a === undefined) this.attentionScopes.set(scope, (a = isAttentionScope(scope)));
    return a;
  }

  /** A new buffer owned by `tensor` (joined unless it is a scratch buffer); returns its id. */
  private add(
    tensor: string,
    shape: Shape,
    dtype: DType,
    category: Category,
    scope: string,
    producer: string,
    first: number,
    last: number,
    flags: number,
  ): number {
    const id = this.tensor.length;
    const sized = this.sized(dtype);
    this.tensor.push(tensor);
    this.shape.push(shape);
    this.dtype.push(sized);
    this.bytes.push(this.bytesOf(shape, sized));
    this.category.push(category);
    this.scope.push(scope);
    this.producer.push(producer);
    this.first.push(first);
    this.last.push(last);
    this.flags.push(flags | (this.isAttention(scope) ? ATTENTION : 0));
    if (!(flags & SCRATCH)) this.join(id, tensor);
    return id;
  }

  /** A buffer uploaded at session creation: a parameter, or a constant some kernel reads on the GPU. */
  addResident(name: string, scope: string): number {
    const t = this.g.info(name);
    const category = t.kind === 'param' ? 'parameter' : 'constant';
    const id = this.add(name, t.shape, t.dtype, category, scope, 'initializer', -1, END, RESIDENT);
    this.resident.push(id);
    return id;
  }

  /** Step 0, the pseudo-node "input": uploads the graph inputs, live to the end. */
  addInputStep(): void {
    for (const name of this.g.inputs) {
      const t = this.g.info(name);
      const category = this.g.categories.get(name) ?? 'input';
      this.add(name, t.shape, t.dtype, category, 'input', 'input', 0, END, 0);
    }
  }

  /** Step `step` runs scheduled node `s`: it reads its inputs, then allocates or aliases its outputs. */
  addNodeStep(s: ScheduledNode, step: number): void {
    const { node } = s;
    const facts = kernelFacts(node.opType);
    const alias = facts.alias === true;
    this.readInputs(s, step, alias, facts);
    if (alias) {
      this.aliasOutput(s);
      return;
    }
    const writer = node.phase === 'forward' ? FORWARD_WRITER : 0;
    const outputs = node.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const t = outputs[j]!;
      const info = this.g.info(t);
      if (facts.mayInplace && this.computedInPlace(s, step, t, info, j, facts.mayInplace)) continue;
      this.add(t, info.shape, info.dtype, 'temporary', node.scope, node.name, step, step, writer);
    }
    if (facts.scratch)
      for (const sc of facts.scratch(this.g, node, s.inputs)) {
        const name = `${node.name}#${sc.label}`;
        this.add(name, sc.shape, sc.dtype, 'temporary', node.scope, node.name, step, step, writer | SCRATCH);
      }
  }

  /**
   * Extends the life of every buffer `s` reads on the GPU to this step (an alias reads nothing
   * itself: its readers do); a constant read on the GPU becomes resident at its first read.
   */
  private readInputs(s: ScheduledNode, step: number, alias: boolean, facts: OrtKernelFacts): void {
    const { node } = s;
    const inputs = s.inputs;
    const cpuInputs = facts.cpuInputs;
    const backward = node.phase !== 'forward';
    for (let slot = 0; slot < inputs.length; slot++) {
      if (cpuInputs?.includes(slot)) continue;
      const t = inputs[slot]!;
      let id = this.bufferOf.get(t);
      if (id === undefined) {
        if (this.g.info(t).kind !== 'const') continue;
        id = this.addResident(t, node.scope);
      }
      if (this.flags[id]! & RESIDENT && this.scope[id] === '') {
        this.scope[id] = node.scope;
        if (this.isAttention(node.scope)) this.flags[id]! |= ATTENTION;
      }
      if (alias) continue;
      if (this.last[id] !== END) this.last[id] = Math.max(this.last[id]!, step);
      if (backward) this.flags[id]! |= READ_BY_BACKWARD;
    }
  }

  private addAlias(id: number, tensor: string): void {
    const list = this.aliases.get(id);
    if (list) list.push(tensor);
    else this.aliases.set(id, [tensor]);
    this.join(id, tensor);
  }

  /** An alias op's output shares its input's buffer. */
  private aliasOutput(s: ScheduledNode): void {
    const input = s.inputs[0]!;
    const id = this.bufferOf.get(input);
    if (id === undefined) throw new Error(`${s.node.name}: aliased input ${input} has no buffer`);
    this.addAlias(id, s.node.outputs[0]!);
  }

  /**
   * Whether output `j` (tensor `t`) of an in-place kernel takes its input's buffer: onnxruntime's
   * allocation planner reuses it when this step is the last to touch it and nothing keeps it.
   */
  private computedInPlace(
    s: ScheduledNode,
    step: number,
    t: string,
    info: TensorInfo,
    j: number,
    pairs: readonly (readonly [number, number])[],
  ): boolean {
    const pair = pairs.find(([, out]) => out === j);
    const id = pair ? this.bufferOf.get(s.inputs[pair[0]]!) : undefined;
    if (id === undefined) return false;
    if (this.flags[id]! & (RESIDENT | KEPT) || this.first[id]! <= 0 || this.kept(t)) return false;
    const out = this.bytesOf(info.shape, this.sized(info.dtype));
    const own = this.bytes[id]!;
    const tensors = [this.tensor[id]!, ...(this.aliases.get(id) ?? [])];
    if (own.perBatch !== out.perBatch || own.fixed !== out.fixed || this.readAfter(step, tensors))
      return false;
    this.addAlias(id, t);
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
    const n = this.tensor.length;
    for (let id = 0; id < n; id++) {
      const f = this.flags[id]!;
      if (f & RESIDENT || this.first[id] === 0) continue;
      if (f & KEPT) this.last[id] = END;
      this.category[id] = this.declared.get(id) ?? categoryOf(f);
    }
  }

  /** The flat table (allocations and frees per step in ascending buffer order). */
  table(): LivenessTable {
    const n = this.tensor.length;
    const stepCount = this.schedule.nodes.length + 1;
    const table: LivenessTable = {
      count: n,
      tensor: this.tensor,
      bytes: this.bytes,
      resident: new Uint8Array(n),
      attention: new Uint8Array(n),
      category: new Uint8Array(n),
      first: Int32Array.from(this.first),
      last: Float64Array.from(this.last),
      ...perStep(stepCount, n, (id) => (this.flags[id]! & RESIDENT ? -1 : this.first[id]!), 'alloc'),
      ...perStep(stepCount, n, (id) => (this.last[id] === END ? -1 : this.last[id]!), 'free'),
      stepName: stepNamer(this.schedule),
    };
    for (let id = 0; id < n; id++) {
      const f = this.flags[id]!;
      table.resident[id] = f & RESIDENT ? 1 : 0;
      table.attention[id] = f & ATTENTION ? 1 : 0;
      table.category[id] = CATEGORY_INDEX.get(this.category[id]!)!;
    }
    return table;
  }
}

/** The category of a buffer written during the step, from its flags (its writer's phase among them). */
function categoryOf(flags: number): Category {
  if (flags & RETAINED) return 'activation';
  if (flags & OUTPUT) return flags & GRADIENT ? 'gradient' : 'output';
  if (flags & READ_BY_BACKWARD && flags & FORWARD_WRITER) return 'activation';
  return 'temporary';
}

/** A liveness whose buffer and step objects are made from the builder's arrays when first read. */
class BuiltLiveness implements Liveness {
  readonly table: LivenessTable;
  readonly resident: number[];
  readonly bufferOf: Map<string, number>;
  private builtBuffers: PlannedBuffer[] | null = null;
  private builtSteps: PlannedStep[] | null = null;
  constructor(
    readonly graph: Graph,
    readonly schedule: Schedule,
    readonly dtypeOverride: FloatDType | null,
    private readonly b: LivenessBuilder,
  ) {
    this.table = b.table();
    this.resident = b.resident;
    this.bufferOf = b.bufferOf;
  }

  get buffers(): PlannedBuffer[] {
    const b = this.b;
    return (this.builtBuffers ??= plannedBuffers(this.table, {
      shape: b.shape,
      dtype: b.dtype,
      scope: b.scope,
      producer: b.producer,
      scratch: (id) => (b.flags[id]! & SCRATCH) !== 0,
      aliases: b.aliases,
    }));
  }

  get steps(): PlannedStep[] {
    return (this.builtSteps ??= plannedSteps(this.table, this.schedule));
  }
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
  return new BuiltLiveness(g, schedule, opts.dtype ?? null, b);
}
