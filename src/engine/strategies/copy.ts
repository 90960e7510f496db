/**
 * `copy`: the op-for-op port. Head split/merge and the k transpose are materialised Transpose
 * nodes; the batched MatMul's gradients multiply by materialised transposes too.
 */
import { matmul } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import type { AttentionStrategy } from './types';

export const copyStrategy: AttentionStrategy = {
  name: 'copy',
  attend(g, { q, k, v }, { seq, heads, headDim }, probs) {
    const split = (x: string, label: string) =>
      transpose(g, reshape(g, x, ['B', seq, heads, headDim], `${label}_view`), [0, 2, 1, 3], label);
    const qh = split(q, 'q_heads');
    const kh = split(k, 'k_heads');
    const vh = split(v, 'v_heads');
    const kT = transpose(g, kh, [0, 1, 3, 2], 'k_transpose');
    const p = probs(matmul(g, qh, kT, 'scores'));
    const context = matmul(g, p, vh, 'context');
    const merged = transpose(g, context, [0, 2, 1, 3], 'merge_heads');
    return reshape(g, merged, ['B', seq, heads * headDim], 'merge_view');
  },
};
