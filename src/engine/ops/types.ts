/**
 * What every op module declares (src/engine/ops/README.md): shape rule, saved set, gradient rule,
 * ONNX mapping, and what onnxruntime-web's WebGPU execution provider does with the op's memory.
 */
import type { Graph } from '../graph/graph';
import type { DType, GraphNode, NodeDef, Shape, TensorInfo } from '../graph/types';

export interface OutputSpec {
  shape: Shape;
  dtype: DType;
}

/**
 * Builders of ops whose own gradient needs the op asking for them (Concat <-> Split, Gather <->
 * oneHot, GatherElements <-> ScatterElements, Expand <-> ReduceSum): importing them would make
 * an import cycle, so the autodiff hands them to gradient rules from the registry (index.ts).
 */
export interface GradBuilders {
  split(g: Graph, x: string, axis: number, sizes: readonly number[], label?: string): string[];
  oneHot(g: Graph, ids: string, depth: number, dtype: DType, label?: string): string;
  scatterElements(
    g: Graph,
    data: string,
    indices: string,
    updates: string,
    axis: number,
    reduction?: 'none' | 'add',
    label?: string,
  ): string;
  sumToShape(g: Graph, dy: string, target: Shape): string;
}

export interface GradContext {
  readonly g: Graph;
  /** Builders of ops that would otherwise be an import cycle (see GradBuilders). */
  readonly build: GradBuilders;
  readonly node: GraphNode;
  /** Gradient flowing into output `i`, or null when nothing downstream needs it. */
  dy(i: number): string | null;
  /** Input `i`; only those the op declares in `saves.inputs` may be read. */
  input(i: number): string;
  /** Output `i`; only those the op declares in `saves.outputs` may be read. */
  output(i: number): string;
  /** Static metadata (shape, dtype) of input `i`: always available, it is not a saved tensor. */
  inputInfo(i: number): TensorInfo;
  /** Whether input `i` needs a gradient. */
  needs(i: number): boolean;
}

/** A buffer a kernel creates and releases within its own run (not a graph tensor). */
export interface ScratchSpec {
  label: string;
  shape: Shape;
  dtype: DType;
}

/**
 * What onnxruntime-web 1.30's WebGPU kernel for the op does with GPU memory beyond writing its
 * declared outputs, checked against measured steps (scripts/plan-vs-measured.mjs). The planner
 * (src/engine/plan) and the runtime's attribution (src/engine/runtime/attribute.ts) read only this.
 */
export interface OrtKernelFacts {
  /**
   * Output 0 shares input 0's buffer (KernelDefBuilder Alias(0, 0)): no allocation, no dispatch.
   */
  alias?: boolean;
  /** Input slots the kernel reads from CPU memory (InputMemoryType(OrtMemTypeCPU, i)). */
  cpuInputs?: readonly number[];
  /**
   * (input, output) slots it may compute in place (MayInplace): the allocation planner gives the
   * output the input's buffer when this node is that buffer's last user.
   */
  mayInplace?: readonly (readonly [number, number])[];
  /** Scratch buffers the kernel creates and releases while it runs. Absent: none. */
  scratch?(g: Graph, node: GraphNode, inputs: readonly string[]): ScratchSpec[];
  /** GPU programs the kernel dispatches. Absent: one (none for an alias). */
  dispatches?(g: Graph, node: GraphNode, inputs: readonly string[]): number;
  /**
   * How onnxruntime's transpose optimizer (onnx_transpose_optimization.cc, which runs even with
   * graph optimisations off) treats the op: `transpose` is merged with a Transpose it reads
   * (modelled by plan/order.ts); `pushable` has a handler that may push a Transpose through it
   * and `reshape` is merged when it keeps the rank (neither modelled: the planner notes them).
   * Absent: the optimizer leaves it alone.
   */
  transposeOptimizer?: 'transpose' | 'pushable' | 'reshape';
}

export interface OpDef extends NodeDef {
  infer(inputs: readonly TensorInfo[], attrs: GraphNode['attrs']): OutputSpec[];
  /** Inputs and outputs the gradient rule reads: the op's contribution to the saved set. */
  saves: { inputs: readonly number[]; outputs: readonly number[] };
  /** The node's ONNX input list, where it differs from ours (empty names for skipped optional inputs). */
  onnxInputs?(inputs: readonly string[]): string[];
  /** Gradient for each input (null: none, e.g. shape or mask inputs). Absent: not differentiable. */
  grad?(ctx: GradContext): (string | null)[];
  /** What onnxruntime's WebGPU kernel does with memory; absent: it writes its outputs, nothing else. */
  ort?: OrtKernelFacts;
}

/**
 * An op written as several graph nodes with its own gradient rule (cross-entropy, the chunked
 * linear cross-entropy): Graph.composite adds its forward nodes; the autodiff differentiates it
 * as one node, through `grad`, which reads only what `saves` declares (as an OpDef's). Used where
 * no single ONNX op that runs on WebGPU computes it, and the node-by-node gradient would hold more
 * than the analytic one.
 */
export interface CompositeDef {
  opType: string;
  /** What `grad` reads, for one composite node (a composite may take a number of inputs). */
  saves(node: GraphNode): OpDef['saves'];
  grad(ctx: GradContext): (string | null)[];
}
