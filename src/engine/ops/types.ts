/** What every op module declares: shape rule, saved set, gradient rule, aliasing (STYLE.md). */
import type { Graph } from '../graph/graph';
import type { Attrs, DType, GraphNode, Shape, TensorInfo } from '../graph/types';

export interface OutputSpec {
  shape: Shape;
  dtype: DType;
}

export interface GradContext {
  readonly g: Graph;
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

export interface OpDef {
  opType: string;
  /** ONNX domain; '' (default) unless com.microsoft. */
  domain?: string;
  infer(inputs: readonly TensorInfo[], attrs: Attrs): OutputSpec[];
  /** Inputs and outputs the gradient rule reads: the op's contribution to the saved set. */
  saves: { inputs: readonly number[]; outputs: readonly number[] };
  /** The node's ONNX input list, where it differs from ours (empty names for skipped optional inputs). */
  onnxInputs?(inputs: readonly string[]): string[];
  /** True when output 0 shares input 0's buffer in onnxruntime (no allocation). */
  aliases?: boolean;
  /** Gradient for each input (null: none, e.g. shape or mask inputs). Absent: not differentiable. */
  grad?(ctx: GradContext): (string | null)[];
}
