/**
 * The op registry: every op Headroom's graphs use, found by its ONNX name. Each module holds
 * everything about its op (README.md in this folder); the autodiff, the ONNX serialiser, the
 * planner and the runtime's attribution look ops up here. Adding an op: one module, one line.
 */
import type { Graph } from '../graph/graph';
import type { GraphNode } from '../graph/types';
import { Add } from './add';
import { ArgMax } from './argMax';
import { Cast } from './cast';
import { Concat } from './concat';
import { Div } from './div';
import { Einsum } from './einsum';
import { Equal } from './equal';
import { Erf } from './erf';
import { Exp } from './exp';
import { Expand } from './expand';
import { Gather } from './gather';
import { GatherElements } from './gatherElements';
import { Gelu } from './gelu';
import { Greater } from './greater';
import { Identity } from './identity';
import { LayerNormalization } from './layerNorm';
import { Log } from './log';
import { MatMul } from './matmul';
import { Mul } from './mul';
import { MultiHeadAttention } from './multiHeadAttention';
import { Neg } from './neg';
import { Pow } from './pow';
import { ReduceMean } from './reduceMean';
import { ReduceSum } from './reduceSum';
import { Relu } from './relu';
import { Reshape } from './reshape';
import { ScatterElements, scatterElements } from './scatterElements';
import { Softmax } from './softmax';
import { Split, split } from './split';
import { Sqrt } from './sqrt';
import { Sub } from './sub';
import { Transpose } from './transpose';
import { oneHot } from './oneHot';
import { sumToShape } from './sumToShape';
import type { CompositeDef, GradBuilders, OpDef, OrtKernelFacts, ScratchSpec } from './types';
import { ChunkedLinearCrossEntropy } from './chunkedLinearCrossEntropy';
import { CrossEntropy } from './crossEntropy';
import { Where } from './where';

export const OPS: readonly OpDef[] = [
  Add,
  ArgMax,
  Cast,
  Concat,
  Div,
  Einsum,
  Equal,
  Erf,
  Exp,
  Expand,
  Gather,
  GatherElements,
  Gelu,
  Greater,
  Identity,
  LayerNormalization,
  Log,
  MatMul,
  Mul,
  MultiHeadAttention,
  Neg,
  Pow,
  ReduceMean,
  ReduceSum,
  Relu,
  Reshape,
  ScatterElements,
  Softmax,
  Split,
  Sqrt,
  Sub,
  Transpose,
  Where,
];

/** Composite ops (types.ts, CompositeDef): several nodes, one gradient rule. */
export const COMPOSITES: readonly CompositeDef[] = [CrossEntropy, ChunkedLinearCrossEntropy];

const COMPOSITE_BY_TYPE: ReadonlyMap<string, CompositeDef> = new Map(COMPOSITES.map((d) => [d.opType, d]));

/** The composite op named `opType`; throws for one that is not registered. */
export function compositeDef(opType: string): CompositeDef {
  const d = COMPOSITE_BY_TYPE.get(opType);
  if (!d) throw new Error(`composite ${opType} is not registered in src/engine/ops/index.ts`);
  return d;
}

/** What the autodiff hands to gradient rules as `ctx.build`. */
export const GRAD_BUILDERS: GradBuilders = { split, oneHot, scatterElements, sumToShape };

const BY_TYPE: ReadonlyMap<string, OpDef> = new Map(OPS.map((d) => [d.opType, d]));

/** The op named `opType`, or undefined for an op Headroom never builds (e.g. in a foreign profile). */
export const findOp = (opType: string): OpDef | undefined => BY_TYPE.get(opType);

/** The op named `opType`; throws for an op that is not registered. */
export function opDef(opType: string): OpDef {
  const d = BY_TYPE.get(opType);
  if (!d) throw unregistered(opType);
  return d;
}

const unregistered = (opType: string): Error =>
  new Error(`op ${opType} is not registered in src/engine/ops/index.ts`);

const NO_FACTS: OrtKernelFacts = {};
const ortOf = (opType: string): OrtKernelFacts => findOp(opType)?.ort ?? NO_FACTS;

/**
 * What onnxruntime's WebGPU kernel of `opType` does with memory (no facts for an op Headroom never
 * builds): for a pass over thousands of nodes that asks several questions of each (the planner's
 * liveness), one lookup per node instead of one per question.
 */
export const kernelFacts = ortOf;

/** Whether the op's output shares its input's buffer in onnxruntime (no allocation, no dispatch). */
export const isAliasOp = (opType: string): boolean => ortOf(opType).alias === true;

/** Whether `node` reads its input `slot` on the GPU (not from CPU memory). */
export const readsOnGpu = (node: GraphNode, slot: number): boolean =>
  !(ortOf(node.opType).cpuInputs?.includes(slot) ?? false);

/** (input, output) slots `node`'s kernel may compute in place. */
export const inplacePairs = (node: GraphNode): readonly (readonly [number, number])[] =>
  ortOf(node.opType).mayInplace ?? [];

/** Scratch buffers `node`'s kernel creates and releases within its run. */
export const scratchBuffers = (g: Graph, node: GraphNode, inputs: readonly string[]): ScratchSpec[] =>
  ortOf(node.opType).scratch?.(g, node, inputs) ?? [];

/** GPU programs `node`'s kernel dispatches. */
export function dispatchCount(g: Graph, node: GraphNode, inputs: readonly string[]): number {
  const facts = ortOf(node.opType);
  if (facts.alias) return 0;
  return facts.dispatches?.(g, node, inputs) ?? 1;
}

/**
 * What storageBuffersBound reads of each op, in objects of one shape (the op modules' are each
 * their own, and reading them for every node of every graph built is a measurable cost).
 */
interface BindingFacts {
  alias: boolean;
  cpuInputs: readonly number[] | undefined;
  onnxInputs: OpDef['onnxInputs'];
}
const BINDING_FACTS: ReadonlyMap<string, BindingFacts> = new Map(
  OPS.map((d) => [
    d.opType,
    { alias: d.ort?.alias === true, cpuInputs: d.ort?.cpuInputs, onnxInputs: d.onnxInputs?.bind(d) },
  ]),
);

/**
 * Storage buffers `node`'s kernel binds in one compute shader: its inputs read on the GPU
 * (constants included; shape and size inputs read on the CPU not) and its outputs, one per slot
 * (a tensor fed to two slots is bound twice). Aliases dispatch nothing and bind none.
 */
export function storageBuffersBound(node: GraphNode): number {
  // One look-up, not one per slot: every graph built checks every node (bindingLimit.ts).
  const facts = BINDING_FACTS.get(node.opType);
  if (!facts) throw unregistered(node.opType);
  if (facts.alias) return 0;
  const slots = facts.onnxInputs?.(node.inputs) ?? node.inputs;
  const cpuInputs = facts.cpuInputs;
  let inputs = 0;
  for (let slot = 0; slot < slots.length; slot++)
    if (slots[slot] !== '' && !(cpuInputs?.includes(slot) ?? false)) inputs++;
  return inputs + node.outputs.length;
}

/** How onnxruntime's transpose optimizer treats `opType` (see OrtKernelFacts). */
export const transposeHandling = (opType: string): OrtKernelFacts['transposeOptimizer'] =>
  ortOf(opType).transposeOptimizer;
