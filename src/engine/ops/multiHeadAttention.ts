/**
 * Fused causal attention: com.microsoft MultiHeadAttention in the forward pass (the score matrix
 * is never a graph tensor). Saves q, k and v only; the gradient recomputes the attention weights
 * from them (phase `recompute`) and differentiates with Einsums, so no B·H·T² tensor lives
 * across the step.
 */
import type { Graph } from '../graph/graph';
import { float, int, type Dim, type GraphNode } from '../graph/types';
import { add } from './add';
import { einsum } from './einsum';
import { mul } from './mul';
import { reduceSum } from './reduceSum';
import { reshape } from './reshape';
import { softmax } from './softmax';
import { sub } from './sub';
import type { OpDef, ScratchSpec } from './types';
import { arity, attrInt } from './util';

/**
 * The WebGPU kernel (no past state) runs flash attention (head size a multiple of 4): it copies
 * k and v into present key/value buffers ([B, H, T, D] each), and for fewer than 32 queries takes
 * the split-reduce path, which adds a partial output ([B, H, T, 1, D]) and f32 row statistics
 * ([B, H, T, 1, 2]; one tile: the tile is at least 32 keys long). No B·H·T² buffer. Measured at
 * T = 4, 8, 12, 16, 17, 24, 31, 32, 64, 65, 128 and 256 on onnxruntime-web 1.30.
 */
function scratch(g: Graph, node: GraphNode, inputs: readonly string[]): ScratchSpec[] {
  const q = g.info(inputs[0]!);
  const h = attrInt(node.attrs, 'num_heads', 1);
  const [b, t, c] = q.shape as [Dim, number, number];
  const d = c / h;
  const present: ScratchSpec[] = [
    { label: 'present key', shape: [b, h, t, d], dtype: q.dtype },
    { label: 'present value', shape: [b, h, t, d], dtype: q.dtype },
  ];
  if (t >= SPLIT_REDUCE_BELOW) return present;
  return [
    ...present,
    { label: 'partial output', shape: [b, h, t, 1, d], dtype: q.dtype },
    { label: 'row statistics', shape: [b, h, t, 1, 2], dtype: 'f32' },
  ];
}

/** Below this many queries the kernel takes the split-reduce path (a third dispatch). */
const SPLIT_REDUCE_BELOW = 32;

export const MultiHeadAttention: OpDef = {
  opType: 'MultiHeadAttention',
  domain: 'com.microsoft',
  /** Our inputs are (q, k, v, attention_bias); ONNX's 4th and 5th slots (bias, key_padding_mask) stay empty. */
  onnxInputs: (inputs) => [inputs[0]!, inputs[1]!, inputs[2]!, '', '', inputs[3]!],
  infer(inputs, attrs) {
    const [q, k, v, bias] = arity('MultiHeadAttention', inputs, 4);
    const heads = attrInt(attrs, 'num_heads');
    const [, t, c] = q!.shape;
    if (q!.shape.length !== 3 || typeof c !== 'number' || c % heads !== 0) {
      throw new Error('MultiHeadAttention: q must be [B, T, C] with C divisible by num_heads');
    }
    if ([k!, v!].some((x) => x.shape.join() !== q!.shape.join()))
      throw new Error('MultiHeadAttention: q, k, v differ');
    if (bias!.shape.join() !== [1, 1, t, t].join())
      throw new Error('MultiHeadAttention: bias must be [1, 1, T, T]');
    return [{ shape: q!.shape, dtype: q!.dtype }];
  },
  saves: { inputs: [0, 1, 2, 3], outputs: [] },
  ort: {
    scratch,
    dispatches: (g, _node, inputs) => ((g.info(inputs[0]!).shape[1] as number) < SPLIT_REDUCE_BELOW ? 3 : 2),
  },
  grad(ctx) {
    const dO = ctx.dy(0);
    if (!dO) return [null, null, null, null];
    const { g } = ctx;
    const heads = attrInt(ctx.node.attrs, 'num_heads');
    const [, t, c] = ctx.inputInfo(0).shape as ['B', number, number];
    const d = c / heads;
    const dtype = ctx.inputInfo(0).dtype;
    const split = (x: string, label: string) => reshape(g, x, ['B', t, heads, d], label);
    const scale = g.scalar(dtype, 1 / Math.sqrt(d), 'scale');

    // The attention weights, recomputed from the saved q, k (and the mask).
    const { q, k, v, p } = g.inPhase('recompute', () => {
      const [q, k, v] = [
        split(ctx.input(0), 'q_view'),
        split(ctx.input(1), 'k_view'),
        split(ctx.input(2), 'v_view'),
      ];
      const scores = add(
        g,
        mul(g, einsum(g, 'bthd,bshd->bhts', q, k, 'scores'), scale, 'scale'),
        ctx.input(3),
        'mask',
      );
      return { q, k, v, p: softmax(g, scores, -1, 'softmax') };
    });

    const dO4 = split(dO, 'dO_view');
    const dp = einsum(g, 'bthd,bshd->bhts', dO4, v, 'dP');
    const dv = einsum(g, 'bhts,bthd->bshd', p, dO4, 'dV');
    const ds = mul(g, mul(g, p, sub(g, dp, reduceSum(g, mul(g, dp, p), [-1], true))), scale, 'dS');
    const dq = einsum(g, 'bhts,bshd->bthd', ds, k, 'dQ');
    const dk = einsum(g, 'bhts,bthd->bshd', ds, q, 'dK');
    const merge = (x: string) => reshape(g, x, ['B', t, c]);
    return [merge(dq), merge(dk), merge(dv), null];
  },
};

/** Causal attention of q, k, v [B, T, C] over `heads` heads; `bias` [1, 1, T, T] masks the future. */
export function multiHeadAttention(
  g: Graph,
  q: string,
  k: string,
  v: string,
  bias: string,
  heads: number,
  label?: string,
): string {
  const d = (g.info(q).shape[2] as number) / heads;
  return g.add1(
    MultiHeadAttention,
    [q, k, v, bias],
    { num_heads: int(heads), scale: float(1 / Math.sqrt(d)) },
    label,
  );
}
