/**
 * Fused causal attention: com.microsoft MultiHeadAttention in the forward pass (the score matrix
 * is never a graph tensor). Saves q, k and v only; the gradient recomputes the attention weights
 * from them (phase `recompute`) and differentiates with Einsums, so no B·H·T² tensor lives
 * across the step.
 */
import type { Graph } from '../graph/graph';
import { float, int } from '../graph/types';
import { add } from './add';
import { einsum } from './einsum';
import { mul } from './mul';
import { reduceSum } from './reduceSum';
import { reshape } from './reshape';
import { softmax } from './softmax';
import { sub } from './sub';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

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

    const phase = g.phase;
    g.phase = 'recompute';
    const [q, k, v] = [
      split(ctx.input(0), 'q_view'),
      split(ctx.input(1), 'k_view'),
      split(ctx.input(2), 'v_view'),
    ];
    const scores = add(
      g,
      mul(g, einsum(g, 'bthd,bshd->bhts', q!, k!, 'scores'), scale, 'scale'),
      ctx.input(3),
      'mask',
    );
    const p = softmax(g, scores, -1, 'softmax');
    g.phase = phase;

    const dO4 = split(dO, 'dO_view');
    const dp = einsum(g, 'bthd,bshd->bhts', dO4, v!, 'dP');
    const dv = einsum(g, 'bhts,bthd->bshd', p, dO4, 'dV');
    const ds = mul(g, mul(g, p, sub(g, dp, reduceSum(g, mul(g, dp, p), [-1], true))), scale, 'dS');
    const dq = einsum(g, 'bhts,bshd->bthd', ds, k!, 'dQ');
    const dk = einsum(g, 'bhts,bthd->bshd', ds, q!, 'dK');
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
