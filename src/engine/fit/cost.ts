/**
 * The cost model: what each node of a step computes (FLOPs) and moves (bytes read and written),
 * and its expected time on a device by a roofline: the slower of its arithmetic at the device's
 * FLOP rate and its traffic at the device's bandwidth, plus a fixed cost per kernel dispatch.
 *
 * FLOPs per node:
 * - MatMul: 2·M·N·K per matrix product (every batch of a batched one); Einsum: 2 × the product of
 *   every index's size (one multiply-add per term); MultiHeadAttention (fused): 4·B·T²·C for the
 *   scores and the weighted sum plus 5 per score for the softmax (no causal skipping assumed);
 * - Softmax 5, LayerNormalization 8, Gelu 8 per output element; every other elementwise op 1;
 * - reductions (ReduceSum, ReduceMean, ArgMax): 1 per input element;
 * - data movement (Transpose, Concat, Split, Gather, Expand, ScatterElements...): none.
 * Bytes per node: every input the kernel reads on the GPU plus every output and scratch buffer it
 * writes (a Gather reads only the rows it gathers: its output's bytes and the indices); alias ops
 * (Reshape, Identity) move nothing and dispatch nothing.
 *
 * Each node's FLOPs and bytes are linear in the batch (the batch is one dimension of each tensor
 * and one index of each product), so they are kept as perBatch·B + fixed, computed once per plan.
 */
import type { Graph } from '../graph/graph';
import { numel, tensorBytes } from '../graph/shape';
import type { GraphNode, Shape, TensorInfo } from '../graph/types';
import { parseEquation } from '../ops/einsum';
import { dispatchCount, isAliasOp, readsOnGpu, scratchBuffers } from '../ops/index';
import type { GraphPlan } from '../plan/plan';
import type { DeviceSpeed } from './types';

/** perBatch·B + fixed. */
export interface Linear {
  perBatch: number;
  fixed: number;
}

export const atBatch = (l: Linear, batch: number): number => l.perBatch * batch + l.fixed;

/** One node's work, symbolic in the batch. */
export interface NodeCost {
  node: string;
  opType: string;
  /** f16 kernels run at the device's f16 rate. */
  f16: boolean;
  flops: Linear;
  bytes: Linear;
  dispatches: number;
}

/**
 * The device the estimate assumes unless told another: a 6 GB consumer GPU as WebGPU kernels
 * reach it (about a GTX 1060 / RTX 2060 class card at half its peak): 5 TFLOP/s in f32 and in f16
 * (WebGPU's f16 is not assumed faster), 200 GB/s, 10 µs per kernel dispatch.
 */
export const DEFAULT_DEVICE_SPEED: Readonly<DeviceSpeed> = {
  f32FlopsPerSecond: 5e12,
  f16FlopsPerSecond: 5e12,
  bytesPerSecond: 200e9,
  dispatchSeconds: 10e-6,
};

/** The default speed with `overrides`; every field must be a positive finite number. */
export function deviceSpeed(overrides: Partial<DeviceSpeed> = {}): DeviceSpeed {
  const speed = { ...DEFAULT_DEVICE_SPEED, ...overrides };
  for (const [field, v] of Object.entries(speed))
    if (!(Number.isFinite(v) && v > 0))
      throw new Error(`device ${field} must be a positive number, got ${v}`);
  return speed;
}

/** A node's FLOPs at one batch, from its input and output tensors. */
type FlopRule = (
  node: GraphNode,
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
  batch: number,
) => number;

const perOutputElement =
  (n: number): FlopRule =>
  (_node, _inputs, outputs, batch) =>
    n * numel(outputs[0]!.shape, batch);

const perInputElement: FlopRule = (_node, inputs, _outputs, batch) => numel(inputs[0]!.shape, batch);
const none: FlopRule = () => 0;

const matmul: FlopRule = (_node, inputs, outputs, batch) => {
  const a = inputs[0]!.shape;
  const k = a[a.length - 1]!;
  return 2 * numel(outputs[0]!.shape, batch) * (k === 'B' ? batch : k);
};

const einsumFlops: FlopRule = (node, inputs, _outputs, batch) => {
  const attr = node.attrs['equation'];
  const spec = parseEquation(attr?.type === 'string' ? attr.value : '');
  const sizes = new Map<string, number>();
  inputs.forEach((t, i) =>
    [...spec.operands[i]!].forEach((c, j) => {
      const d = t.shape[j]!;
      sizes.set(c, d === 'B' ? batch : d);
    }),
  );
  let terms = 1;
  for (const s of sizes.values()) terms *= s;
  return 2 * terms;
};

/** Fused attention on q [B, T, C] with H heads: QKᵀ and PV (2·B·T²·C each) and a softmax per score. */
const attentionFlops: FlopRule = (node, inputs, _outputs, batch) => {
  const [, t, c] = inputs[0]!.shape as [unknown, number, number];
  const heads = node.attrs['num_heads'];
  const h = heads?.type === 'int' ? heads.value : 1;
  return 4 * batch * t * t * c + 5 * batch * h * t * t;
};

/** FLOPs of every op Headroom builds (cost.test.ts checks that each registered op has a rule). */
export const FLOP_RULES: Readonly<Record<string, FlopRule>> = {
  MatMul: matmul,
  Einsum: einsumFlops,
  MultiHeadAttention: attentionFlops,
  Softmax: perOutputElement(5),
  LayerNormalization: perOutputElement(8),
  Gelu: perOutputElement(8),
  Add: perOutputElement(1),
  Sub: perOutputElement(1),
  Mul: perOutputElement(1),
  Div: perOutputElement(1),
  Neg: perOutputElement(1),
  Relu: perOutputElement(1),
  Exp: perOutputElement(1),
  Sqrt: perOutputElement(1),
  Pow: perOutputElement(1),
  Log: perOutputElement(1),
  Erf: perOutputElement(1),
  Where: perOutputElement(1),
  Equal: perOutputElement(1),
  Greater: perOutputElement(1),
  Cast: perOutputElement(1),
  ReduceSum: perInputElement,
  ReduceMean: perInputElement,
  ArgMax: perInputElement,
  Transpose: none,
  Concat: none,
  Split: none,
  Gather: none,
  GatherElements: none,
  ScatterElements: none,
  Expand: none,
  Identity: none,
  Reshape: none,
};

const bytesOf = (t: { shape: Shape; dtype: TensorInfo['dtype'] }, batch: number): number =>
  tensorBytes(t.shape, t.dtype, batch);

/** Ops that read only what they gather from their first input: the output's worth, and the indices. */
const GATHERS = new Set(['Gather', 'GatherElements']);

/** A scheduled node: the node and its inputs as it runs (after the transpose optimizer's merges). */
export interface CostedNode {
  node: GraphNode;
  inputs: readonly string[];
}

/** A node's FLOPs and bytes moved at one batch. */
export function nodeWorkAt(
  g: Graph,
  { node, inputs }: CostedNode,
  batch: number,
): { flops: number; bytes: number } {
  if (isAliasOp(node.opType)) return { flops: 0, bytes: 0 };
  const rule = FLOP_RULES[node.opType];
  if (!rule) throw new Error(`no cost rule for op ${node.opType} (src/engine/fit/cost.ts FLOP_RULES)`);
  const ins = inputs.map((n) => g.info(n));
  const outs = node.outputs.map((n) => g.info(n));
  const written =
    outs.reduce((s, t) => s + bytesOf(t, batch), 0) +
    scratchBuffers(g, node, inputs).reduce((s, t) => s + bytesOf(t, batch), 0);
  const read = GATHERS.has(node.opType)
    ? bytesOf(outs[0]!, batch) + ins.slice(1).reduce((s, t) => s + bytesOf(t, batch), 0)
    : ins.reduce((s, t, slot) => s + (readsOnGpu(node, slot) ? bytesOf(t, batch) : 0), 0);
  return { flops: rule(node, ins, outs, batch), bytes: read + written };
}

/** The work of one node, symbolic in the batch (from its cost at batches 1 and 2: it is linear). */
export function nodeCost(g: Graph, n: CostedNode): NodeCost {
  const one = nodeWorkAt(g, n, 1);
  const two = nodeWorkAt(g, n, 2);
  const out = n.node.outputs[0];
  return {
    node: n.node.name,
    opType: n.node.opType,
    f16: out !== undefined && g.info(out).dtype === 'f16',
    flops: { perBatch: two.flops - one.flops, fixed: 2 * one.flops - two.flops },
    bytes: { perBatch: two.bytes - one.bytes, fixed: 2 * one.bytes - two.bytes },
    dispatches: dispatchCount(g, n.node, n.inputs),
  };
}

const planCosts = new WeakMap<GraphPlan['liveness'], NodeCost[]>();

/** Every node the plan's step runs, in execution order, with its work (computed once per plan). */
export function stepCost(plan: GraphPlan): NodeCost[] {
  const cached = planCosts.get(plan.liveness);
  if (cached) return cached;
  const g = plan.graph;
  const costs = plan.liveness.schedule.nodes.map((n) => nodeCost(g, n));
  planCosts.set(plan.liveness, costs);
  return costs;
}

/** Expected seconds of `work` (at one batch) on `speed`: the roofline plus the dispatches' fixed cost. */
export function rooflineSeconds(
  work: { flops: number; bytes: number; dispatches: number; f16?: boolean },
  speed: DeviceSpeed,
): number {
  const rate = work.f16 ? speed.f16FlopsPerSecond : speed.f32FlopsPerSecond;
  return (
    Math.max(work.flops / rate, work.bytes / speed.bytesPerSecond) + work.dispatches * speed.dispatchSeconds
  );
}

/** Expected seconds of node `c` at `batch`. */
export function nodeSeconds(c: NodeCost, batch: number, speed: DeviceSpeed): number {
  return rooflineSeconds(
    { flops: atBatch(c.flops, batch), bytes: atBatch(c.bytes, batch), dispatches: c.dispatches, f16: c.f16 },
    speed,
  );
}
