/**
 * The optimizer's update in the graph against a reference implementation of PyTorch's SGD and
 * AdamW formulas in float64, for a few steps of the tiny preset on onnxruntime's CPU backend; and
 * gradient accumulation against one step over the whole effective batch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../graph/graph';
import { CpuRunner, type Values } from '../testing/ortCpu';
import {
  accumulatedGradName,
  gradName,
  nextName,
  OPTIMIZER_STEP,
  optimizerStateName,
  type OptimizerName,
} from '../vocabulary';
import { buildTrainingGraph } from './build';
import { initParams, rng } from './init';
import { ADAMW_HYPER, SGD_HYPER } from './optimizer';
import { PRESETS, type BuildSpec } from './spec';

const BATCH = 2;
const model = PRESETS.tiny;
const specOf = (optimizer: OptimizerName, microBatches = 1): BuildSpec => ({
  model,
  strategy: 'view',
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer,
  microBatches,
});

/** Seeded token and target ids for `batch` sequences. */
function ids(batch: number, seed: number): Map<string, number[]> {
  const next = rng(seed);
  const draw = () => Array.from({ length: batch * model.seq }, () => Math.floor(next() * model.vocab));
  return new Map([
    ['tokens', draw()],
    ['targets', draw()],
  ]);
}

const runners: CpuRunner[] = [];
async function runner(g: Graph, batch = BATCH): Promise<CpuRunner> {
  const r = await CpuRunner.create(g, batch);
  runners.push(r);
  return r;
}
afterAll(async () => {
  for (const r of runners) await r.release();
});

/** The largest |a - b| over two arrays of equal length. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The largest |a - b| relative to the largest |b| (moments near zero cancel: an element-wise ratio would blow up). */
function normRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  return maxAbsDiff(a, b) / scale;
}

/** PyTorch's AdamW (single tensor) on one parameter, float64. */
function adamwReference(
  p: ArrayLike<number>,
  g: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  t: number,
) {
  const { lr, beta1, beta2, eps, weightDecay } = ADAMW_HYPER;
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  const next = {
    p: new Float64Array(p.length),
    m: new Float64Array(p.length),
    v: new Float64Array(p.length),
  };
  for (let i = 0; i < p.length; i++) {
    next.m[i] = beta1 * m[i]! + (1 - beta1) * g[i]!;
    next.v[i] = beta2 * v[i]! + (1 - beta2) * g[i]! * g[i]!;
    const denom = Math.sqrt(next.v[i]!) / bc2Sqrt + eps;
    next.p[i] = p[i]! * (1 - lr * weightDecay) - (lr / bc1) * (next.m[i]! / denom);
  }
  return next;
}

/** PyTorch's SGD with momentum (dampening 0, no weight decay) on one parameter, float64. */
function sgdReference(p: ArrayLike<number>, g: ArrayLike<number>, buf: ArrayLike<number>) {
  const next = { p: new Float64Array(p.length), buf: new Float64Array(p.length) };
  for (let i = 0; i < p.length; i++) {
    next.buf[i] = SGD_HYPER.momentum * buf[i]! + g[i]!;
    next.p[i] = p[i]! - SGD_HYPER.lr * next.buf[i]!;
  }
  return next;
}

describe('the optimizer in the graph matches PyTorch’s formulas (tiny preset, 3 steps)', () => {
  it('adamw: parameters within 1e-6, moments within 1e-6 of their largest', async () => {
    const plain = buildTrainingGraph(specOf('none'));
    const step = buildTrainingGraph(specOf('adamw'));
    const [gradsRun, stepRun] = [await runner(plain), await runner(step)];
    let params = initParams(step, 11) as Map<string, ArrayLike<number>>;
    const zeros = (p: string) => new Float64Array(params.get(p)!.length);
    let m = new Map(step.params.map((p) => [p, zeros(p) as ArrayLike<number>]));
    let v = new Map(step.params.map((p) => [p, zeros(p) as ArrayLike<number>]));
    for (let t = 1; t <= 3; t++) {
      const batch = ids(BATCH, 30 + t);
      const grads = await gradsRun.run(new Map([...params, ...batch]) as Values);
      const feeds = new Map<string, ArrayLike<number>>([...params, ...batch, [OPTIMIZER_STEP, [t]]]);
      for (const p of step.params) {
        feeds.set(optimizerStateName('exp_avg', p), m.get(p)!);
        feeds.set(optimizerStateName('exp_avg_sq', p), v.get(p)!);
      }
      const out = await stepRun.run(feeds);
      for (const p of step.params) {
        const ref = adamwReference(params.get(p)!, grads.get(gradName(p))!, m.get(p)!, v.get(p)!, t);
        const got = out.get(nextName(p))!;
        expect(maxAbsDiff(got, ref.p), `${p} at step ${t}`).toBeLessThan(1e-6);
        // The update moved the parameter (by about lr = 1e-3 per element): the test can fail.
        expect(maxAbsDiff(got, params.get(p)!)).toBeGreaterThan(1e-4);
        expect(normRelDiff(out.get(nextName(optimizerStateName('exp_avg', p)))!, ref.m)).toBeLessThan(1e-6);
        expect(normRelDiff(out.get(nextName(optimizerStateName('exp_avg_sq', p)))!, ref.v)).toBeLessThan(
          1e-6,
        );
      }
      params = new Map(step.params.map((p) => [p, out.get(nextName(p))!]));
      m = new Map(step.params.map((p) => [p, out.get(nextName(optimizerStateName('exp_avg', p)))!]));
      v = new Map(step.params.map((p) => [p, out.get(nextName(optimizerStateName('exp_avg_sq', p)))!]));
    }
    // Outputs: the loss, then the updated parameters and state; gradients are consumed.
    expect(step.outputs.filter((o) => o.startsWith('grad/'))).toEqual([]);
    expect(step.outputs).toHaveLength(1 + 3 * step.params.length);
  });

  it('sgd with momentum: parameters and momentum within 1e-6', async () => {
    const plain = buildTrainingGraph(specOf('none'));
    const step = buildTrainingGraph(specOf('sgd'));
    const [gradsRun, stepRun] = [await runner(plain), await runner(step)];
    let params = initParams(step, 11) as Map<string, ArrayLike<number>>;
    let buf = new Map(
      step.params.map((p) => [p, new Float64Array(params.get(p)!.length) as ArrayLike<number>]),
    );
    for (let t = 1; t <= 3; t++) {
      const batch = ids(BATCH, 40 + t);
      const grads = await gradsRun.run(new Map([...params, ...batch]) as Values);
      const feeds = new Map<string, ArrayLike<number>>([...params, ...batch]);
      for (const p of step.params) feeds.set(optimizerStateName('momentum_buffer', p), buf.get(p)!);
      const out = await stepRun.run(feeds);
      for (const p of step.params) {
        const ref = sgdReference(params.get(p)!, grads.get(gradName(p))!, buf.get(p)!);
        expect(maxAbsDiff(out.get(nextName(p))!, ref.p), `${p} at step ${t}`).toBeLessThan(1e-6);
        expect(
          maxAbsDiff(out.get(nextName(optimizerStateName('momentum_buffer', p)))!, ref.buf),
        ).toBeLessThan(1e-6);
      }
      params = new Map(step.params.map((p) => [p, out.get(nextName(p))!]));
      buf = new Map(
        step.params.map((p) => [p, out.get(nextName(optimizerStateName('momentum_buffer', p)))!]),
      );
    }
  });
});

describe('gradient accumulation', () => {
  it('two micro-batches of 2 give the gradients of one batch of 4 (within 1e-6)', async () => {
    const whole = buildTrainingGraph(specOf('none'));
    const acc = buildTrainingGraph(specOf('none', 2), 'accumulate');
    const apply = buildTrainingGraph(specOf('none', 2), 'apply');
    const params = initParams(whole, 11);
    const [first, second] = [ids(BATCH, 51), ids(BATCH, 52)];
    const both = new Map([...first.keys()].map((k) => [k, [...first.get(k)!, ...second.get(k)!]]));
    const reference = await (
      await runner(whole, 2 * BATCH)
    ).run(new Map<string, ArrayLike<number>>([...params, ...both]));

    const zeros = new Map(
      acc.params.map((p) => [accumulatedGradName(p), new Float64Array(params.get(p)!.length)]),
    );
    const accumulated = await (
      await runner(acc)
    ).run(new Map<string, ArrayLike<number>>([...params, ...first, ...zeros]));
    const carried = new Map(
      acc.params.map((p) => [accumulatedGradName(p), accumulated.get(nextName(accumulatedGradName(p)))!]),
    );
    const out = await (
      await runner(apply)
    ).run(new Map<string, ArrayLike<number>>([...params, ...second, ...carried]));
    for (const p of whole.params) {
      expect(maxAbsDiff(out.get(gradName(p))!, reference.get(gradName(p))!), p).toBeLessThan(1e-6);
      // The first micro-batch alone is not the whole batch's gradient: accumulation matters.
      expect(
        maxAbsDiff(accumulated.get(nextName(accumulatedGradName(p)))!, reference.get(gradName(p))!),
      ).toBeGreaterThan(1e-6);
    }
  });
});
