/**
 * Causal self-attention as ported from nanoGPT: c_attn -> q, k, v -> (strategy: heads -> scores
 * -> scale -> causal mask -> softmax -> context -> merge heads) -> c_proj.
 */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { add } from '../ops/add';
import { matmul } from '../ops/matmul';
import { mul } from '../ops/mul';
import { softmax } from '../ops/softmax';
import { split } from '../ops/split';
import { where } from '../ops/where';
import type { StrategyName as Strategy } from '../vocabulary';
import { STRATEGIES } from '../strategies';
import { MASKED } from '../strategies/mask';

/** y = x W + b; parameters are named `<prefix>.<name>.weight|bias`, as in a PyTorch state dict. */
export function linear(
  g: Graph,
  x: string,
  prefix: string,
  name: string,
  [inF, outF]: readonly [number, number],
  dtype: FloatDType,
): string {
  return g.within(name, () => {
    const w = g.param(`${prefix}.${name}.weight`, [inF, outF], dtype);
    const b = g.param(`${prefix}.${name}.bias`, [outF], dtype);
    return add(g, matmul(g, x, w, 'MatMul'), b, 'bias');
  });
}

export interface AttentionLayerOptions {
  /** Parameter name prefix, e.g. `transformer.h.0.attn`. */
  prefix: string;
  seq: number;
  embd: number;
  heads: number;
  strategy: Strategy;
  chunk: number;
  dtype: FloatDType;
}

/** Rows `from`..`to` of a T×T causal mask: query row r sees keys 0..r. */
function causalRows(from: number, to: number, seq: number): Uint8Array {
  const rows = new Uint8Array((to - from) * seq);
  for (let r = from; r < to; r++) rows.fill(1, (r - from) * seq, (r - from) * seq + r + 1);
  return rows;
}

/** x [B, T, C] -> y [B, T, C], nodes scoped `attention/...` under the current scope. */
export function causalSelfAttention(g: Graph, x: string, o: AttentionLayerOptions): string {
  const { seq, embd, heads, dtype } = o;
  const headDim = embd / heads;
  return g.within('attention', () => {
    const qkv = linear(g, x, o.prefix, 'c_attn', [embd, 3 * embd], dtype);
    const [q, k, v] = split(g, qkv, 2, [embd, embd, embd], 'qkv_split') as [string, string, string];
    const probs = (scores: string, [from, to]: readonly [number, number] = [0, seq]) => {
      const mask = g.constant(
        'bool',
        [to - from, seq],
        {
          kind: 'bools',
          values: () => causalRows(from, to, seq),
        },
        'causal_mask',
        `causal_mask:${from}:${to}:${seq}`,
      );
      const scaled = mul(g, scores, g.scalar(dtype, 1 / Math.sqrt(headDim), 'scale'), 'scale');
      const masked = where(g, mask, scaled, g.scalar(dtype, MASKED[dtype], 'masked'), 'causal_mask');
      return softmax(g, masked, -1, 'softmax');
    };
    const dims = { seq, heads, headDim, dtype, chunk: o.chunk };
    const context = STRATEGIES[o.strategy].attend(g, { q, k, v }, dims, probs);
    return linear(g, context, o.prefix, 'c_proj', [embd, embd], dtype);
  });
}
