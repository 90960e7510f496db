/**
 * `view`: head split/merge never materialise. Reshape is an alias, and Einsum reads q, k, v in
 * their [B, T, H, D] layout; its gradients are Einsums too. No Transpose, forward or backward.
 */
import { einsum } from '../ops/einsum';
import { reshape } from '../ops/reshape';
import type { AttentionStrategy } from './types';

export const viewStrategy: AttentionStrategy = {
  name: 'view',
  attend(g, { q, k, v }, { seq, heads, headDim }, probs) {
    const split = (x: string, label: string) => reshape(g, x, ['B', seq, heads, headDim], label);
    const p = probs(einsum(g, 'bthd,bshd->bhts', split(q, 'q_view'), split(k, 'k_view'), 'scores'));
    const context = einsum(g, 'bhts,bshd->bthd', p, split(v, 'v_view'), 'context');
    return reshape(g, context, ['B', seq, heads * headDim], 'merge_view');
  },
};
