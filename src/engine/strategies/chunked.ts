/**
 * `chunked`: query-chunked attention with standard ops (Rabe & Staats 2021). Queries are split
 * into chunks of `chunk` rows; each chunk's scores and weights form a recompute region, so the
 * backward pass recomputes them one chunk at a time instead of keeping them: scores exist for
 * one chunk of queries at a time, forward and backward.
 *
 * The queries are split, and the chunks' contexts concatenated, by trees of Splits and Concats of
 * at most MAX_PIECES pieces each: one kernel binds its input and all its outputs (or all its
 * inputs and its output) as storage buffers, and WebGPU grants WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage
 * of them by default (onnxruntime fails a Split into 8). Up to MAX_PIECES chunks the tree is one
 * node, as before; past it, each level splits into at most MAX_PIECES runs of near-equal length,
 * so the extra copies are small and short-lived (a run's copy is freed once it is split, and a
 * run's context once it is concatenated). The gradients mirror the trees (a Split's gradient is a
 * Concat of the same pieces, a Concat's a Split), so they stay within the limit too.
 */
import { einsum } from '../ops/einsum';
import { concatTree, splitTree } from '../ops/pieceTrees';
import { reshape } from '../ops/reshape';
import type { AttentionStrategy } from './types';

export { concatTree, MAX_PIECES, runs, splitTree } from '../ops/pieceTrees';

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
    const queries = splitTree(g, q4, 1, sizes, 'q_chunks');
    let start = 0;
    const contexts = queries.map((qc, i) => {
      const rows = [start, start + sizes[i]!] as const;
      start += sizes[i]!;
      const p = g.inRegion(CHUNK_REGION, () =>
        probs(einsum(g, 'bthd,bshd->bhts', qc, k4, `scores_chunk${i}`), rows),
      );
      return einsum(g, 'bhts,bshd->bthd', p, v4, `context_chunk${i}`);
    });
    const context = concatTree(g, contexts, 1, 'context');
    return reshape(g, context, ['B', seq, heads * headDim], 'merge_view');
  },
};
