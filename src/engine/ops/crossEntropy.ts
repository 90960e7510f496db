/**
 * Mean cross-entropy of logits [B, T, V] against int64 targets [B, T]: a scalar, as
 * F.cross_entropy(logits.view(-1, V), targets.view(-1)) in nanoGPT. A composite of op modules
 * (LogSoftmax and OneHot fall back to the CPU in onnxruntime-web, and the training ops
 * SoftmaxCrossEntropyLossGrad & co. do not exist there), every node on WebGPU:
 *
 *   m    = GatherElements(logits, ArgMax(logits))   the row max, differentiable (saves [B,T,1] ids)
 *   z    = logits - m                               (so exp(z) <= 1: no overflow)
 *   e    = Exp(z)                                   saves e: the one B·T·V tensor kept for backward
 *   lse  = Log(ReduceSum(e))                        saves the [B,T,1] sums
 *   zt   = GatherElements(z, ArgMax(onehot(targets)))   saves [B,T,1] ids
 *   loss = ReduceMean(lse - zt)
 *
 * The target ids need their [B, T, 1] int64 form for GatherElements, and the WebGPU EP cannot
 * reshape int64 (see gather.ts); ArgMax over the targets' one-hot (transient B·T·V tensors of
 * the forward pass) produces exactly that. The backward pass the autodiff builds from these rules
 * computes dlogits = (e / sum(e) - onehot) / N, plus the max path's contribution, which is zero
 * up to rounding (shifting every logit of a row leaves the loss unchanged).
 */
import type { Graph } from '../graph/graph';
import { argMax } from './argMax';
import { exp } from './exp';
import { gatherElements } from './gatherElements';
import { log } from './log';
import { oneHot } from './oneHot';
import { reduceMean } from './reduceMean';
import { reduceSum } from './reduceSum';
import { sub } from './sub';

/**
 * logits [B, T, V] float, targets [B, T] int64 -> scalar mean negative log-likelihood. Targets
 * must lie in [0, V): one outside (nanoGPT's ignore_index -1) is not ignored but read as class 0.
 * `label` names the scope that holds the composite's nodes (and their gradients).
 */
export function crossEntropy(g: Graph, logits: string, targets: string, label = 'cross_entropy'): string {
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
  return g.within(label, () => {
    const rowMax = gatherElements(g, logits, argMax(g, logits, -1, true, 'argmax'), -1, 'row_max');
    const z = sub(g, logits, rowMax, 'shifted');
    const logSumExp = log(g, reduceSum(g, exp(g, z, 'exp'), [-1], true, 'sum_exp'), 'log_sum_exp');
    const targetIds = argMax(g, oneHot(g, targets, vocab, 'f32', 'target_one_hot'), -1, true, 'target_ids');
    const picked = gatherElements(g, z, targetIds, -1, 'target_logit');
    return reduceMean(g, sub(g, logSumExp, picked, 'nll'), null, false, 'mean');
  });
}
