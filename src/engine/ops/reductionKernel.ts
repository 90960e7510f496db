/**
 * What onnxruntime-web 1.30's WebGPU reduction kernels (ReduceSum, ReduceMean) do with memory,
 * shared by their op modules: axes read on the CPU (opset 13+ ReduceSum, 18+ ReduceMean), and
 * for a reduction over axes that are not the innermost ones, a transposed scratch copy of the
 * input and an output-sized scratch result (two dispatches). Observed in lazyRelease and bucket
 * modes.
 */
import type { Graph } from '../graph/graph';
import type { GraphNode } from '../graph/types';
import type { OrtKernelFacts, ScratchSpec } from './types';

/** The reduced axes of a reduction node (axes attribute or constant input; none = all), sorted. */
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

function scratch(g: Graph, node: GraphNode, inputs: readonly string[]): ScratchSpec[] {
  const x = g.info(inputs[0]!);
  const rank = x.shape.length;
  const axes = reducedAxes(g, node, rank);
  if (axes.every((a, i) => a === rank - axes.length + i)) return [];
  const y = g.info(node.outputs[0]!);
  return [
    { label: 'transposed input', shape: x.shape, dtype: x.dtype },
    { label: 'reduced', shape: y.shape, dtype: y.dtype },
  ];
}

export const REDUCTION_KERNEL: OrtKernelFacts = {
  cpuInputs: [1],
  scratch,
  dispatches: (g, node, inputs) => (scratch(g, node, inputs).length ? 2 : 1),
  transposeOptimizer: 'pushable',
};
