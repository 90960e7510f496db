/**
 * The optimizer's update as ordinary graph ops, after the gradients (scope `optimizer/<param>`),
 * gradient-free. ONNX has no in-place update: each parameter and each state tensor comes in as
 * it was (a parameter: an initializer; state: a persistent graph input, category `optimizer
 * state`) and leaves as a new graph output `next/<name>` (category `parameter` or `optimizer
 * state`), so old and new values coexist at the end of the step where PyTorch's
 * `optimizer.step()` overwrites in place (README.md, "Optimizers").
 *
 * The formulas are PyTorch's (torch.optim.SGD and AdamW, single-tensor path):
 * - sgd: buf = momentum·buf + g; p = p − lr·buf (buf starts at zero, which equals PyTorch's first
 *   step, buf = g);
 * - adamw: p = p·(1 − lr·wd); m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 *   p = p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε), with t the step number, fed as the
 *   graph input `optimizer/step` (state PyTorch keeps too).
 * Hyper-parameters are constants of the graph (they move no byte): PyTorch's defaults, and
 * lr 0.01, momentum 0.9 for SGD.
 */
import type { Graph } from '../graph/graph';
import type { DType } from '../graph/types';
import { add } from '../ops/add';
import { div } from '../ops/div';
import { mul } from '../ops/mul';
import { pow } from '../ops/pow';
import { sqrt } from '../ops/sqrt';
import { sub } from '../ops/sub';
import {
  nextName,
  OPTIMIZER_STEP,
  optimizerStateName,
  type OptimizerName,
  type OptimizerStateName,
} from '../vocabulary';

export const SGD_HYPER = { lr: 0.01, momentum: 0.9 } as const;
export const ADAMW_HYPER = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 } as const;

/** The state tensors each parameter has under an optimizer (PyTorch's state keys). */
export const STATE_OF: Readonly<Record<OptimizerName, readonly OptimizerStateName[]>> = {
  none: [],
  sgd: ['momentum_buffer'],
  adamw: ['exp_avg', 'exp_avg_sq'],
};

/** A state input of `param` (shaped and typed like it), persistent, and its name. */
function stateInput(g: Graph, state: OptimizerStateName, param: string): string {
  const p = g.info(param);
  return g.input(optimizerStateName(state, param), p.shape, p.dtype, 'optimizer state');
}

/** An update's result: the tensor, the persistent tensor it replaces, the category of both. */
interface Update {
  tensor: string;
  of: string;
  category: 'parameter' | 'optimizer state';
}

/** The scalars AdamW's bias correction needs, from the step number: lr / (1 − β1^t), √(1 − β2^t). */
function adamwScalars(g: Graph, dtype: DType): { stepSize: string; bc2Sqrt: string } {
  const { lr, beta1, beta2 } = ADAMW_HYPER;
  const t = g.input(OPTIMIZER_STEP, [], dtype, 'optimizer state');
  const one = g.scalar(dtype, 1);
  const bc1 = sub(g, one, pow(g, g.scalar(dtype, beta1), t, 'beta1_pow'), 'bias_correction1');
  const bc2 = sub(g, one, pow(g, g.scalar(dtype, beta2), t, 'beta2_pow'), 'bias_correction2');
  return {
    stepSize: div(g, g.scalar(dtype, lr), bc1, 'step_size'),
    bc2Sqrt: sqrt(g, bc2, 'bias_correction2_sqrt'),
  };
}

function sgdUpdate(g: Graph, param: string, grad: string): Update[] {
  const dtype = g.info(param).dtype;
  const buf = stateInput(g, 'momentum_buffer', param);
  const momentum = mul(g, buf, g.scalar(dtype, SGD_HYPER.momentum), 'momentum');
  const nextBuf = add(g, momentum, grad, 'momentum_buffer');
  const step = mul(g, nextBuf, g.scalar(dtype, SGD_HYPER.lr), 'lr');
  return [
    { tensor: nextBuf, of: buf, category: 'optimizer state' },
    { tensor: sub(g, param, step, 'update'), of: param, category: 'parameter' },
  ];
}

function adamwUpdate(
  g: Graph,
  param: string,
  grad: string,
  scalars: { stepSize: string; bc2Sqrt: string },
): Update[] {
  const { beta1, beta2, eps, lr, weightDecay } = ADAMW_HYPER;
  const dtype = g.info(param).dtype;
  const c = (v: number) => g.scalar(dtype, v);
  const m = stateInput(g, 'exp_avg', param);
  const v = stateInput(g, 'exp_avg_sq', param);
  const decayed = mul(g, param, c(1 - lr * weightDecay), 'weight_decay');
  const mDecayed = mul(g, m, c(beta1), 'exp_avg_decay');
  const nextM = add(g, mDecayed, mul(g, grad, c(1 - beta1), 'grad_scaled'), 'exp_avg');
  const gg = mul(g, grad, grad, 'grad_squared');
  const vDecayed = mul(g, v, c(beta2), 'exp_avg_sq_decay');
  const nextV = add(g, vDecayed, mul(g, gg, c(1 - beta2), 'grad_squared_scaled'), 'exp_avg_sq');
  const corrected = div(g, sqrt(g, nextV, 'exp_avg_sq_sqrt'), scalars.bc2Sqrt, 'corrected');
  const denom = add(g, corrected, c(eps), 'denom');
  const step = mul(g, div(g, nextM, denom, 'ratio'), scalars.stepSize, 'step');
  return [
    { tensor: nextM, of: m, category: 'optimizer state' },
    { tensor: nextV, of: v, category: 'optimizer state' },
    { tensor: sub(g, decayed, step, 'update'), of: param, category: 'parameter' },
  ];
}

/**
 * Appends `optimizer`'s update of every parameter from its gradient (`grads`: parameter ->
 * gradient tensor), in the backward phase, scope `optimizer`. The gradients stay category
 * `gradient`; they are no longer graph outputs (the update consumes them).
 */
export function appendOptimizer(
  g: Graph,
  optimizer: OptimizerName,
  grads: ReadonlyMap<string, string>,
): void {
  if (optimizer === 'none') return;
  const consumed = new Set(grads.values());
  g.outputs.splice(0, g.outputs.length, ...g.outputs.filter((o) => !consumed.has(o)));
  for (const gr of consumed) g.categories.set(gr, 'gradient');
  const updates = g.inPhase('backward', () =>
    g.within('optimizer', () => {
      const params = [...grads.keys()];
      const scalars =
        optimizer === 'adamw' && params.length ? adamwScalars(g, g.info(params[0]!).dtype) : null;
      return params.flatMap((param) =>
        g.within(param, () => {
          const grad = grads.get(param)!;
          return scalars ? adamwUpdate(g, param, grad, scalars) : sgdUpdate(g, param, grad);
        }),
      );
    }),
  );
  // One renaming pass for every result (renaming one at a time is a pass over the nodes each).
  const names = updates.map((u) => nextName(u.of));
  g.renameAll(updates.map((u, k) => [u.tensor, names[k]!] as const));
  updates.forEach((u, k) => {
    g.categories.set(names[k]!, u.category);
    g.outputs.push(names[k]!);
  });
}
