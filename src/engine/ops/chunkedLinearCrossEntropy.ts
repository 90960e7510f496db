/**
 * The LM head and the cross-entropy over chunks of sequence positions (loss strategy `chunked`;
 * the memory trick of fused linear cross-entropy kernels): the B·T·V logits never exist at once.
 * A composite op (types.ts, CompositeDef) over x [B, T, C], the head's weight W [V, C] (tied to
 * the token embedding) and the target ids of each chunk (crossEntropy.ts, targetIndices):
 *
 *   forward   per chunk c of positions: logits_c = x_c · Wᵀ [B, t, V], its log-sum-exp and summed
 *             negative log-likelihood as in crossEntropy.ts; loss = sum over chunks / (B·T)
 *   saves     x, W, the ids and each chunk's log-sum-exp, as its row max and sumExp [B, t, 1]
 *   backward  per chunk: logits_c recomputed (phase `recompute`), dlogits_c =
 *             (softmax - one_hot) · dloss / (B·T), dx_c = dlogits_c · W, and dW accumulated:
 *             dW_c = dlogits_cᵀ · x_c added to the running sum; dx = the chunks' dx_c concatenated
 *
 * onnxruntime runs a node's inputs depth first, in the order they were built: dx_c alone would
 * be computed chunk after chunk while every dW_c waited for the weight's gradient, at the end of
 * the backward pass, holding every chunk's dlogits_c. So each dx_c is passed through a Where
 * (always true) whose other branch reads a row of the running dW: the chunk's dW_c is then added
 * before the next chunk starts, and its dlogits_c freed. The Where selects dx_c exactly and costs
 * one [B, t, C] copy.
 */
import type { Graph } from '../graph/graph';
import { ints } from '../graph/types';
import { add } from './add';
import { einsum } from './einsum';
import { embedding } from './gather';
import { inverseTokenCount, softmaxMinusOneHot, tokenLosses } from './crossEntropy';
import { mul } from './mul';
import { concatInOrder, splitTree } from './pieceTrees';
import { reduceSum } from './reduceSum';
import type { CompositeDef } from './types';
import { attrInts } from './util';
import { where } from './where';

/** Chunk sizes of `seq` positions in runs of `chunk` (the last one shorter). */
export function lossChunks(seq: number, chunk: number): number[] {
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`lossChunks: bad chunk ${chunk}`);
  const sizes: number[] = [];
  for (let start = 0; start < seq; start += chunk) sizes.push(Math.min(chunk, seq - start));
  return sizes;
}

/**
 * Inputs: x [B, T, C], W [V, C], ids_c [B, t_c, 1] per chunk. Outputs: the mean loss [], then
 * each chunk's row max and sumExp [B, t_c, 1] (crossEntropy.ts, tokenLosses).
 */
export const ChunkedLinearCrossEntropy: CompositeDef = {
  opType: 'ChunkedLinearCrossEntropy',
  saves: (node) => ({
    inputs: node.inputs.map((_, i) => i),
    outputs: node.outputs.map((_, i) => i).slice(1),
  }),
  grad(ctx) {
    const { g, node } = ctx;
    const sizes = attrInts(node.attrs, 'sizes');
    if (node.inputs.length !== 2 + sizes.length)
      throw new Error('ChunkedLinearCrossEntropy: one ids input per chunk');
    if (node.outputs.slice(1).some((_, i) => ctx.dy(1 + i)))
      throw new Error('ChunkedLinearCrossEntropy: the log-sum-exp outputs are not differentiable');
    const dy = ctx.dy(0);
    const none = node.inputs.map(() => null);
    if (!dy || (!ctx.needs(0) && !ctx.needs(1))) return none;
    const x = ctx.input(0);
    const weight = ctx.input(1);
    const { shape, dtype } = ctx.inputInfo(0);
    const scale = mul(g, dy, inverseTokenCount(g, shape, dtype), 'scale');
    const pieces = splitTree(g, x, 1, sizes, 'x_chunks');
    const always = g.constant('bool', [], { kind: 'bools', values: () => [1] }, 'always', 'bool:true');
    const firstRow = g.intsConst([0], 'first_row');
    let dW: string | null = null;
    /** Chunk c's dx (null when x needs none), after its dW_c is added to the running dW. */
    const chunk = (c: number): string | null => {
      const xc = pieces[c]!;
      const logits = g.inPhase('recompute', () => einsum(g, 'btc,vc->btv', xc, weight, `logits_chunk${c}`));
      const dlogits = softmaxMinusOneHot(
        g,
        logits,
        ctx.output(1 + 2 * c),
        ctx.output(2 + 2 * c),
        ctx.input(2 + c),
        scale,
      );
      const dx = ctx.needs(0) ? einsum(g, 'btv,vc->btc', dlogits, weight, `dx_chunk${c}`) : null;
      if (ctx.needs(1)) {
        const dWc = einsum(g, 'btv,btc->vc', dlogits, xc, `dW_chunk${c}`);
        dW = dW === null ? dWc : add(g, dW, dWc, `dW_sum${c}`);
      }
      if (!dx || dW === null) return dx;
      return where(g, always, dx, embedding(g, dW, firstRow, `dW_row${c}`), `dx_after_dW${c}`);
    };
    let dx: string | null = null;
    if (ctx.needs(0)) dx = concatInOrder(g, sizes.length, (c) => chunk(c)!, 1, 'dx');
    else sizes.forEach((_, c) => chunk(c));
    return [dx, dW, ...sizes.map(() => null)];
  },
};

/**
 * x [B, T, C], weight [V, C], ids: per chunk of `sizes` positions its [B, t, 1] target ids
 * (targetIndices with the same sizes) -> scalar mean negative log-likelihood of x · weightᵀ.
 */
export function chunkedLinearCrossEntropy(
  g: Graph,
  x: string,
  weight: string,
  ids: readonly string[],
  sizes: readonly number[],
  label = 'chunked_cross_entropy',
): string {
  const xi = g.info(x);
  const wi = g.info(weight);
  if (xi.shape.length !== 3 || wi.shape.length !== 2 || xi.shape[2] !== wi.shape[1])
    throw new Error(
      `chunkedLinearCrossEntropy: x [${xi.shape.join(', ')}] and weight [${wi.shape.join(', ')}] do not match`,
    );
  if (ids.length !== sizes.length || sizes.reduce((a, b) => a + b, 0) !== xi.shape[1])
    throw new Error('chunkedLinearCrossEntropy: one ids tensor per chunk, chunks covering the sequence');
  const [loss] = g.composite(
    ChunkedLinearCrossEntropy.opType,
    [x, weight, ...ids],
    { sizes: ints(sizes) },
    label,
    () => {
      let total: string | null = null;
      const f16 = xi.dtype === 'f16';
      const stats = splitTree(g, x, 1, sizes, 'x_chunks').map((xc, c) => {
        const logits = einsum(g, 'btc,vc->btv', xc, weight, `logits_chunk${c}`);
        const { nll, rowMax, sumExp } = tokenLosses(g, logits, ids[c]!, `_chunk${c}`);
        // In f16 each token's loss is divided by the token count first (crossEntropy.ts, meanOf).
        const scaled = f16
          ? mul(g, nll, inverseTokenCount(g, xi.shape, xi.dtype), `nll_scaled_chunk${c}`)
          : nll;
        const sum = reduceSum(g, scaled, [0, 1, 2], false, `nll_sum_chunk${c}`);
        total = total === null ? sum : add(g, total, sum, `nll_total${c}`);
        return [rowMax, sumExp];
      });
      const mean = f16 ? total! : mul(g, total!, inverseTokenCount(g, xi.shape, xi.dtype), 'mean');
      return [mean, ...stats.flat()];
    },
  );
  return loss!;
}
