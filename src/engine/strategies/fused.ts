/**
 * `fused`: one fused attention kernel in the forward pass (com.microsoft MultiHeadAttention);
 * the score matrix is never a graph tensor, and the backward pass recomputes the attention
 * weights from q, k, v instead of keeping them (see ops/multiHeadAttention.ts).
 */
import { multiHeadAttention } from '../ops/multiHeadAttention';
import { MASKED } from './mask';
import type { AttentionStrategy } from './types';

export const fusedStrategy: AttentionStrategy = {
  name: 'fused',
  attend(g, { q, k, v }, { seq, heads, dtype }) {
    const bias = g.constant(
      dtype,
      [1, 1, seq, seq],
      {
        kind: 'floats',
        values: () =>
          Array.from({ length: seq * seq }, (_, i) => (i % seq <= Math.floor(i / seq) ? 0 : MASKED[dtype])),
      },
      'causal_bias',
      `causal_bias:${seq}:${dtype}`,
    );
    return multiHeadAttention(g, q, k, v, bias, heads, 'attention');
  },
};
