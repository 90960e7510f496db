/**
 * How a step ends, after the backward pass: gradient accumulation over micro-batches, then the
 * optimizer's update (optimizer.ts).
 *
 * A step of k micro-batches runs k graphs of one micro-batch each: k − 1 `accumulate` steps, then
 * one `apply` step. Each seeds its backward pass with 1/k (PyTorch's `(loss / k).backward()`), so
 * the summed gradients are those of the effective batch. The gradients of the earlier
 * micro-batches live in persistent buffers between the micro-steps: the graph input
 * `grad/<param>/accumulated` (category `gradient`; zeros before the first micro-batch). An
 * `accumulate` step adds its own gradient and writes `next/grad/<param>/accumulated`; the `apply`
 * step adds its own into `grad/<param>`, the step's gradient, which the optimizer consumes (or which
 * is the output, without one). With k = 1 there is one `apply` step and no accumulation.
 */
import type { Graph } from '../graph/graph';
import { add } from '../ops/add';
import { accumulatedGradName, gradName, nextName } from '../vocabulary';
import { appendOptimizer } from './optimizer';
import type { BuildSpec } from './spec';

/** Which micro-batch of a step a graph runs: every one but the last accumulates; the last applies. */
export const MICRO_STEPS = ['accumulate', 'apply'] as const;
export type MicroStep = (typeof MICRO_STEPS)[number];

/** The distinct graphs a step of `microBatches` micro-batches runs, in the order it runs them. */
export function microStepsOf(microBatches: number): MicroStep[] {
  return microBatches > 1 ? ['accumulate', 'apply'] : ['apply'];
}

/**
 * `params` in the order the backward pass completes their gradients (`gradOf(p)`'s writer,
 * earliest first: the last block's first). Nodes that read the gradients are added in this order:
 * onnxruntime's default order (plan/order.ts) starts from the graph's leaves, latest added first
 * (the serialiser writes nodes in reverse), so each gradient is then consumed soon after it is
 * made. In parameter order (the embedding first) the walk would run every block's input-gradient
 * chain before any weight gradient, keeping every block's backward tensors alive at once.
 */
export function inGradientOrder(
  g: Graph,
  params: readonly string[],
  gradOf: (p: string) => string,
): string[] {
  // Each gradient has one writer: walk back from the last node until every one is found.
  const grads = params.map(gradOf);
  const wanted = new Map<string, number>();
  for (const gr of grads) wanted.set(gr, -1);
  let found = 0;
  for (let i = g.nodes.length - 1; i >= 0 && found < wanted.size; i--) {
    for (const o of g.nodes[i]!.outputs) {
      if (wanted.get(o) === -1) {
        wanted.set(o, i);
        found++;
      }
    }
  }
  // A stable sort of the parameters by writer, as positions: no look-up per comparison.
  const at = grads.map((gr) => wanted.get(gr)!);
  return params
    .map((_, k) => k)
    .sort((a, b) => at[a]! - at[b]!)
    .map((k) => params[k]!);
}

/** A parameter's gradient from this micro-batch alone, before it is added to the accumulated ones. */
const microGradName = (param: string): string => `${gradName(param)}/micro-batch`;

/**
 * Adds the accumulated gradients of earlier micro-batches to this one's (k > 1). Returns, per
 * parameter, the tensor holding its gradient for the optimizer (`apply`).
 */
function accumulate(g: Graph, microStep: MicroStep): Map<string, string> {
  const params = inGradientOrder(g, g.params, gradName);
  // Each name made once: a string is hashed at its first look-up, once per string made.
  const micro = params.map(microGradName);
  g.renameAll(params.map((p, k) => [gradName(p), micro[k]!] as const));
  const sums = g.inPhase('backward', () =>
    g.atScope('grad', () =>
      params.map((p, k) => {
        const t = g.info(p);
        const earlier = g.input(accumulatedGradName(p), t.shape, t.dtype, 'gradient');
        return add(g, earlier, micro[k]!, 'accumulate');
      }),
    ),
  );
  const named = params.map((p) => (microStep === 'apply' ? gradName(p) : nextName(accumulatedGradName(p))));
  g.renameAll(sums.map((s, i) => [s, named[i]!] as const));
  const publicName = new Map(micro.map((m, i) => [m, named[i]!]));
  for (const [i, o] of g.outputs.entries()) g.outputs[i] = publicName.get(o) ?? o;
  for (const m of micro) g.categories.set(m, 'gradient');
  for (const n of named) g.categories.set(n, 'gradient');
  return new Map(params.map((p, i) => [p, named[i]!]));
}

/** Ends the step after the backward pass: accumulation (k > 1), then the optimizer (`apply`). */
export function appendStepEnd(g: Graph, spec: BuildSpec, microStep: MicroStep): void {
  if (microStep === 'accumulate' && spec.microBatches < 2)
    throw new Error('an accumulate micro-step needs at least 2 micro-batches');
  const accumulated = spec.microBatches > 1 ? accumulate(g, microStep) : null;
  // Without an optimizer the step ends with the gradients: no order of them to find.
  if (microStep !== 'apply' || spec.optimizer === 'none') return;
  const grads = accumulated ?? new Map(inGradientOrder(g, g.params, gradName).map((p) => [p, gradName(p)]));
  appendOptimizer(g, spec.optimizer, grads);
}
