/**
 * `chunked`: query-chunked attention with standard ops (Rabe & Staats 2021). Queries are split
 * into chunks of `chunk` rows; each chunk's scores and weights form a recompute region, so the
 * backward pass recomputes them one chunk at a time instead of keeping them: scores exist for
 * one chunk of queries at a time, forward and backward.
 */
import { concat } from '../ops/concat';
import { einsum } from '../ops/einsum';
import { reshape } from '../ops/reshape';
import { split } from '../ops/split';
import type { AttentionStrategy } from './types';

export const CHUNK_REGION = 'attention-chunk';

export const chunkedStrategy: AttentionStrategy = {
  name: 'chunked',
  attend(g, { q, k, v }, { seq, heads, headDim, chunk }, probs) {
    const view = (x: string, label: string) => reshape(g, x, ['B', seq, heads, headDim], label);
    const k4 = view(k, 'k_view');
    const v4 = view(v, 'v_view');
    const sizes: number[] = [];
    for (let start = 0; start < seq; start += chunk) sizes.push(Math.min(chunk, seq - start));
    const q4 = view(q, 'q_view');
    const queries = sizes.length > 1 ? split(g, q4, 1, sizes, 'q_chunks') : [q4];
    let start = 0;
    const contexts = queries.map((qc, i) => {
      const rows = [start, start + sizes[i]!] as const;
      start += sizes[i]!;
      const p = g.inRegion(CHUNK_REGION, () =>
        probs(einsum(g, 'bthd,bshd->bhts', qc, k4, `scores_chunk${i}`), rows),
      );
      return einsum(g, 'bhts,bshd->bthd', p, v4, `context_chunk${i}`);
    });
    const context = contexts.length > 1 ? concat(g, contexts, 1, 'context') : contexts[0]!;
    return reshape(g, context, ['B', seq, heads * headDim], 'merge_view');
  },
};
