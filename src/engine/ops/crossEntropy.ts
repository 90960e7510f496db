/**
 * Mean cross-entropy of logits [B, T, V] against int64 targets [B, T]: a scalar, as
 * F.cross_entropy(logits.view(-1, V), targets.view(-1)) in nanoGPT. A composite op (types.ts,
 * CompositeDef) with its own gradient rule: LogSoftmax and OneHot fall back to the CPU in
 * onnxruntime-web and the training ops (SoftmaxCrossEntropyLossGrad & co.) do not exist there, so
 * the forward pass is written with ops that run on WebGPU, and the backward pass is the analytic
 * gradient, not the gradient of each of those ops:
 *
 *   forward   m = GatherElements(logits, ArgMax(logits))            row max, [B, T, 1]
 *             S = ReduceSum(Exp(logits - m))                         [B, T, 1]
 *             loss = ReduceMean(Log(S) - (GatherElements(logits, ids) - m))
 *   saves     the logits, the target ids, m and S (the log-sum-exp m + log S, in two parts
 *             so that the gradient stays exact where the logits are large)
 *   backward  dlogits = (Exp(logits - m) / S - one_hot(ids)) · dloss / N
 *
 * The forward pass holds three B·T·V tensors at its Exp: the logits (kept for the backward
 * pass), the shifted logits and their exponentials. The backward pass holds at most two: the
 * logits and their shift, then the shift and its Exp, then the Exp and its scaled copy; the
 * one-hot is subtracted in place (ScatterElements adding -dloss/N at the targets, which
 * onnxruntime computes in its input's buffer).
 *
 * The target ids need their [B, T, 1] int64 form for GatherElements and ScatterElements, and the
 * WebGPU EP cannot reshape int64 (see gather.ts): `targetIndices` makes it through ArgMax over a
 * float one-hot, whose B·T·V transients live only while it runs. The model builds it before its
 * embedding, so onnxruntime runs it first, where little else is live.
 */
import type { Graph } from '../graph/graph';
import type { DType, Shape } from '../graph/types';
import { argMax } from './argMax';
import { cast } from './cast';
import { div } from './div';
import { equal } from './equal';
import { exp } from './exp';
import { expand } from './expand';
import { embedding } from './gather';
import { gatherElements } from './gatherElements';
import { log } from './log';
import { mul } from './mul';
import { neg } from './neg';
import { splitTree } from './pieceTrees';
import { reduceMean } from './reduceMean';
import { reduceSum } from './reduceSum';
import { scatterElements } from './scatterElements';
import { sub } from './sub';
import type { CompositeDef } from './types';

/**
 * Target ids [B, T] int64 -> [B, t, 1] int64 index tensors, one per run of `sizes` positions
 * (default: one of all T): each id looked up as an f32 in an arange column, compared with the
 * arange row (a one-hot, [B, t, V]), cast and ArgMax'ed. Ids outside [0, V) give an all-zero
 * row, read as class 0 (nanoGPT's ignore_index -1 is not ignored).
 */
export function targetIndices(
  g: Graph,
  targets: string,
  vocab: number,
  sizes?: readonly number[],
  label = 'target_ids',
): string[] {
  const t = g.info(targets);
  if (t.dtype !== 'i64' || t.shape.length !== 2) throw new Error('targetIndices: targets must be [B, T] i64');
  const seq = t.shape[1];
  if (typeof seq !== 'number') throw new Error('targetIndices: the sequence axis cannot be the batch');
  if (!Number.isInteger(vocab) || vocab < 1 || vocab > 2 ** 24)
    throw new Error(`targetIndices: bad vocabulary ${vocab}`);
  const runs = sizes ?? [seq];
  if (runs.reduce((a, b) => a + b, 0) !== seq) throw new Error(`targetIndices: chunks do not sum to ${seq}`);
  const arange = Array.from({ length: vocab }, (_, i) => i);
  const column = g.constant('f32', [vocab, 1], { kind: 'floats', values: () => arange }, 'arange_column');
  const row = g.constant('f32', [vocab], { kind: 'floats', values: () => arange }, 'arange');
  const asFloat = embedding(g, column, targets, `${label}.column`);
  return splitTree(g, asFloat, 1, runs, `${label}.chunks`).map((c, i) => {
    const suffix = runs.length === 1 ? '' : `_chunk${i}`;
    const hot = cast(g, equal(g, c, row, `${label}.equal${suffix}`), 'f32', `${label}.one_hot${suffix}`);
    return argMax(g, hot, -1, true, `${label}${suffix}`);
  });
}

/**
 * Each token's negative log-likelihood and the two parts of its log-sum-exp, [..., 1] each: the
 * row max m and sumExp = sum(exp(x - m)), so lse = m + log(sumExp) and nll = log(sumExp) -
 * (x[target] - m), which stays exact where the logits are large (lse - x[target] would lose the
 * digits below f32's resolution at the logits' size). The target logit is gathered first, so
 * that onnxruntime, which runs a node's inputs in the order they were built, runs the ids'
 * one-hot (built before the model, see targetIndices) at the start of the step.
 */
export function tokenLosses(
  g: Graph,
  logits: string,
  ids: string,
  suffix = '',
): { nll: string; rowMax: string; sumExp: string } {
  const picked = gatherElements(g, logits, ids, -1, `target_logit${suffix}`);
  const rowMax = gatherElements(
    g,
    logits,
    argMax(g, logits, -1, true, `argmax${suffix}`),
    -1,
    `row_max${suffix}`,
  );
  const shifted = sub(g, logits, rowMax, `shifted${suffix}`);
  const sumExp = reduceSum(g, exp(g, shifted, `exp${suffix}`), [-1], true, `sum_exp${suffix}`);
  const margin = sub(g, picked, rowMax, `target_shifted${suffix}`);
  return { nll: sub(g, log(g, sumExp, `log_sum${suffix}`), margin, `nll${suffix}`), rowMax, sumExp };
}

/** 1 / (number of tokens of `shape` but its last axis), at any batch: [] of `dtype`. */
export function inverseTokenCount(g: Graph, shape: Shape, dtype: DType): string {
  const rows = shape.slice(0, -1);
  return g.constant(
    dtype,
    [],
    {
      kind: 'floats',
      values: (batch) => [1 / rows.reduce<number>((n, d) => n * (d === 'B' ? batch : d), 1)],
    },
    'inv_tokens',
  );
}

/**
 * (softmax(logits) - one_hot(ids)) · scale from the logits, their row max and sumExp (see
 * tokenLosses), holding at most two tensors of the logits' size at once: Exp(logits - m),
 * times scale / sumExp, then -scale added at each target in place (ScatterElements, MayInplace).
 */
export function softmaxMinusOneHot(
  g: Graph,
  logits: string,
  rowMax: string,
  sumExp: string,
  ids: string,
  scale: string,
): string {
  const exps = exp(g, sub(g, logits, rowMax, 'shifted'), 'exp');
  const probs = mul(g, exps, div(g, scale, sumExp, 'scale_over_sum'), 'scaled_probs');
  const minusScale = expand(g, neg(g, scale, 'minus_scale'), g.info(ids).shape, 'minus_scale');
  return scatterElements(g, probs, ids, minusScale, -1, 'add', 'dlogits');
}

/**
 * Inputs: logits [..., V], ids [..., 1] i64. Outputs: the mean loss [], the row max and sumExp
 * [..., 1] (the log-sum-exp in two parts, see tokenLosses).
 */
export const CrossEntropy: CompositeDef = {
  opType: 'CrossEntropy',
  saves: () => ({ inputs: [0, 1], outputs: [1, 2] }),
  grad(ctx) {
    if (ctx.dy(1) || ctx.dy(2))
      throw new Error('CrossEntropy: its log-sum-exp outputs are not differentiable');
    const dy = ctx.dy(0);
    if (!dy || !ctx.needs(0)) return [null, null];
    const { g } = ctx;
    const logits = ctx.inputInfo(0);
    const scale = mul(g, dy, inverseTokenCount(g, logits.shape, logits.dtype), 'scale');
    return [softmaxMinusOneHot(g, ctx.input(0), ctx.output(1), ctx.output(2), ctx.input(1), scale), null];
  },
};

/**
 * logits [B, T, V] float, targets [B, T] int64 -> scalar mean negative log-likelihood. `ids`:
 * the targets' indices from `targetIndices`, when built earlier (the model does, see above).
 * `label` names the scope that holds the composite's nodes and its gradient's.
 */
export function crossEntropy(
  g: Graph,
  logits: string,
  targets: string,
  label = 'cross_entropy',
  ids?: string,
): string {
  const l = g.info(logits);
  const t = g.info(targets);
  const vocab = l.shape.at(-1);
  if (typeof vocab !== 'number' || l.shape.length < 2)
    throw new Error('crossEntropy: logits must be [..., V]');
  if (t.dtype !== 'i64') throw new Error('crossEntropy: targets must be i64');
  if (t.shape.join() !== l.shape.slice(0, -1).join())
    throw new Error(
      `crossEntropy: targets [${t.shape.join(', ')}] do not match logits [${l.shape.join(', ')}]`,
    );
  const targetIds = ids ?? targetIndices(g, targets, vocab)[0]!;
  const [loss] = g.composite(CrossEntropy.opType, [logits, targetIds], {}, label, () => {
    const { nll, rowMax, sumExp } = tokenLosses(g, logits, targetIds);
    return [meanOf(g, nll, l.shape, l.dtype), rowMax, sumExp];
  });
  return loss!;
}

/**
 * The mean of the token losses `nll` [..., 1] of logits of `shape`. In f16 each loss is divided
 * by the token count before the sum: onnxruntime's WebGPU reductions accumulate in the tensor's
 * type, and a sum of B·T losses of about ln V passes f16's 65,504 from about 16,000 tokens (the
 * seed model at batch 64 measured an infinite loss on an H200). In f32 and f64, ReduceMean.
 */
export function meanOf(g: Graph, nll: string, shape: Shape, dtype: DType): string {
  if (dtype !== 'f16') return reduceMean(g, nll, null, false, 'mean');
  const axes = g.info(nll).shape.map((_, i) => i);
  return reduceSum(g, mul(g, nll, inverseTokenCount(g, shape, dtype), 'nll_scaled'), axes, false, 'mean');
}
