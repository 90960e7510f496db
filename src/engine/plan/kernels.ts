/**
 * What onnxruntime-web 1.30's WebGPU kernels do with memory beyond their declared outputs: which
 * inputs they read on the CPU (so a constant there never becomes a GPU buffer) and which scratch
 * buffers they create and release within their own run. Checked against measured steps
 * (scripts/plan-vs-measured.mjs); aliasing ops are runtime/attribute.ts's ALIAS_OPS.
 */
import type { Graph } from '../graph/graph';
import type { Dim, DType, GraphNode, Shape } from '../graph/types';
import { ALIAS_OPS } from '../runtime/attribute';

/** Input slots a kernel reads from CPU memory (KernelDefBuilder InputMemoryType(OrtMemTypeCPU...)). */
const CPU_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1],
  Expand: [1],
  Split: [1],
  Squeeze: [1],
  Unsqueeze: [1],
  Tile: [1],
  Slice: [1, 2, 3, 4],
  Pad: [1, 2, 3],
  ReduceSum: [1],
  ReduceMean: [1],
  ReduceMax: [1],
  ReduceMin: [1],
  ReduceProd: [1],
  ReduceL1: [1],
  ReduceL2: [1],
  ReduceLogSum: [1],
  ReduceLogSumExp: [1],
  ReduceSumSquare: [1],
  ConstantOfShape: [0],
};

/** Whether `node` reads its input `slot` on the GPU. */
export function readsOnGpu(node: GraphNode, slot: number): boolean {
  return !(CPU_INPUTS[node.opType]?.includes(slot) ?? false);
}

/**
 * (input, output) slots a kernel may compute in place (KernelDefBuilder MayInplace): onnxruntime's
 * allocation planner gives the output the input's buffer when this node is the buffer's last
 * user. On the WebGPU EP that is ScatterElements (it then skips copying its data input).
 */
const MAY_INPLACE: Readonly<Record<string, readonly (readonly [number, number])[]>> = {
  ScatterElements: [[0, 0]],
};

export function inplacePairs(node: GraphNode): readonly (readonly [number, number])[] {
  return MAY_INPLACE[node.opType] ?? [];
}

/** GPU programs `node`'s kernel dispatches (alias ops none; see scratchBuffers for the rest). */
export function dispatchCount(g: Graph, node: GraphNode, inputs: readonly string[]): number {
  if (ALIAS_OPS.has(node.opType)) return 0;
  if (REDUCE_OPS.has(node.opType)) return scratchBuffers(g, node, inputs).length ? 2 : 1;
  if (node.opType === 'MultiHeadAttention') return scratchBuffers(g, node, inputs).length > 2 ? 3 : 2;
  return 1;
}

export interface ScratchSpec {
  label: string;
  shape: Shape;
  dtype: DType;
}

const REDUCE_OPS = new Set([
  'ReduceSum',
  'ReduceMean',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceSumSquare',
]);

/** The reduced axes of a reduction node (axes attribute or constant input; none = all). */
function reducedAxes(g: Graph, node: GraphNode, rank: number): number[] {
  const attr = node.attrs['axes'];
  let axes: readonly number[] | undefined = attr?.type === 'ints' ? attr.value : undefined;
  const input = node.inputs[1];
  if (!axes && input !== undefined) {
    const v = g.info(input).value;
    if (v?.kind === 'ints') axes = v.values.map((d) => (d === 'B' ? NaN : d));
  }
  if (!axes || axes.length === 0) return Array.from({ length: rank }, (_, i) => i);
  return [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/**
 * Scratch buffers `node`'s kernel creates and releases while it runs, observed on onnxruntime-web
 * 1.30 (lazyRelease and bucket modes):
 * - a reduction over axes that are not the innermost ones transposes its input into a scratch
 *   copy, then reduces into an output-sized scratch buffer (besides the output itself);
 * - MultiHeadAttention (com.microsoft, no past state) runs flash attention (head size a multiple of
 *   4): it copies k and v into present key/value buffers ([B, H, T, D] each), and for fewer than
 *   32 queries takes the split-reduce path, which adds a partial output ([B, H, T, 1, D]) and f32
 *   row statistics ([B, H, T, 1, 2]; one tile: the tile is at least 32 keys long). No B·H·T²
 *   buffer. Measured at T = 4, 8, 12, 16, 17, 24, 31, 32, 64, 65, 128 and 256.
 */
export function scratchBuffers(g: Graph, node: GraphNode, inputs: readonly string[]): ScratchSpec[] {
  if (REDUCE_OPS.has(node.opType)) {
    const x = g.info(inputs[0]!);
    const rank = x.shape.length;
    const axes = reducedAxes(g, node, rank);
    const innermost = axes.every((a, i) => a === rank - axes.length + i);
    if (innermost) return [];
    const y = g.info(node.outputs[0]!);
    return [
      { label: 'transposed input', shape: x.shape, dtype: x.dtype },
      { label: 'reduced', shape: y.shape, dtype: y.dtype },
    ];
  }
  if (node.opType === 'MultiHeadAttention') {
    const q = g.info(inputs[0]!);
    const heads = node.attrs['num_heads'];
    const h = heads?.type === 'int' ? heads.value : 1;
    const [b, t, c] = q.shape as [Dim, number, number];
    const d = c / h;
    const present: ScratchSpec[] = [
      { label: 'present key', shape: [b, h, t, d], dtype: q.dtype },
      { label: 'present value', shape: [b, h, t, d], dtype: q.dtype },
    ];
    if (t >= 32) return present;
    return [
      ...present,
      { label: 'partial output', shape: [b, h, t, 1, d], dtype: q.dtype },
      { label: 'row statistics', shape: [b, h, t, 1, 2], dtype: 'f32' },
    ];
  }
  return [];
}
