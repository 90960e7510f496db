/**
 * The ops a nanoGPT step adds (embedding, layer norm, GELU, ReLU, cross-entropy and their helpers):
 * gradient rules against central finite differences on onnxruntime-web's CPU backend in Node,
 * in f64 wherever that backend has f64 kernels (Erf and com.microsoft Gelu are f32-only there), and
 * cross-entropy against hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import { appendBackward } from '../autodiff/backward';
import { Graph } from '../graph/graph';
import { numel } from '../graph/shape';
import type { DType, Shape } from '../graph/types';
import { rng } from '../models/init';
import { CpuRunner, finiteDifferences, relativeError } from '../testing/ortCpu';
import { argMax } from './argMax';
import { cast } from './cast';
import { crossEntropy } from './crossEntropy';
import { div } from './div';
import { erf } from './erf';
import { exp } from './exp';
import { embedding } from './gather';
import { gatherElements } from './gatherElements';
import { gelu } from './gelu';
import { layerNorm } from './layerNorm';
import { log } from './log';
import { mul } from './mul';
import { oneHot } from './oneHot';
import { reduceSum } from './reduceSum';
import { relu } from './relu';
import { scatterElements } from './scatterElements';

const B = 2;

interface Input {
  shape: Shape;
  dtype?: DType;
  /** Fixed values (at batch B); default: uniform in `range`. */
  values?: readonly number[];
  range?: [number, number];
}

interface Case {
  name: string;
  inputs: Record<string, Input>;
  build: (g: Graph, xs: Record<string, string>) => string;
  /**
   * For f32 inputs: a larger step, a power of 2 so that the perturbed input is exact in f32 (the
   * error is then about the f32 rounding of the output, 6e-8, over 2 eps, plus eps^2 terms).
   */
  eps?: number;
}

const ids = (values: readonly number[], shape: Shape): Input => ({ shape, dtype: 'i64', values });

const cases: Case[] = [
  { name: 'Exp', inputs: { a: { shape: ['B', 3, 4] } }, build: (g, { a }) => exp(g, a!) },
  {
    name: 'Log',
    inputs: { a: { shape: ['B', 3, 4], range: [0.5, 2] } },
    build: (g, { a }) => log(g, a!),
  },
  {
    name: 'Div (broadcast)',
    inputs: { a: { shape: ['B', 3, 4] }, b: { shape: ['B', 3, 1], range: [0.5, 2] } },
    build: (g, { a, b }) => div(g, a!, b!),
  },
  { name: 'Relu', inputs: { a: { shape: ['B', 3, 4] } }, build: (g, { a }) => relu(g, a!) },
  {
    // f32 in, f64 out: a step of 2^-10 keeps the f32 rounding of the perturbed input small.
    name: 'Cast (f32 -> f64)',
    inputs: { a: { shape: ['B', 3], dtype: 'f32' } },
    build: (g, { a }) => mul(g, cast(g, a!, 'f64'), cast(g, a!, 'f64')),
    eps: 2 ** -10,
  },
  {
    name: 'LayerNorm',
    inputs: {
      x: { shape: ['B', 3, 5], range: [-2, 2] },
      gamma: { shape: [5], range: [0.5, 1.5] },
      beta: { shape: [5] },
    },
    build: (g, { x, gamma, beta }) => layerNorm(g, x!, gamma!, beta!),
  },
  {
    name: 'LayerNorm (eps 0.1, input gradient only)',
    inputs: { x: { shape: ['B', 4] } },
    build: (g, { x }) => {
      const ones = g.constant('f64', [4], { kind: 'floats', values: () => [1, 2, 0.5, -1] });
      const zeros = g.constant('f64', [4], { kind: 'floats', values: () => [0, 0.1, 0, 0] });
      return layerNorm(g, x!, ones, zeros, 0.1);
    },
  },
  {
    name: 'Embedding (repeated ids)',
    inputs: {
      table: { shape: [5, 3] },
      tokens: ids([1, 3, 3, 0, 3, 1, 4, 3], ['B', 4]),
    },
    build: (g, { table, tokens }) => embedding(g, table!, tokens!),
  },
  {
    name: 'Embedding (positions: constant ids)',
    inputs: { table: { shape: [6, 3] } },
    build: (g, { table }) => embedding(g, table!, g.intsConst([0, 1, 2, 3], 'positions')),
  },
  {
    name: 'GatherElements (repeated indices)',
    inputs: {
      data: { shape: ['B', 3, 4] },
      idx: ids([0, 0, 3, 1, 2, 2, 3, 3, 1, 0, 2, 2], ['B', 3, 2]),
    },
    build: (g, { data, idx }) => gatherElements(g, data!, idx!, -1),
  },
  {
    name: 'ScatterElements add (repeated indices)',
    inputs: {
      data: { shape: ['B', 3, 4] },
      idx: ids([0, 0, 3, 1, 2, 2, 3, 3, 1, 0, 2, 2], ['B', 3, 2]),
      upd: { shape: ['B', 3, 2] },
    },
    build: (g, { data, idx, upd }) => scatterElements(g, data!, idx!, upd!, -1, 'add'),
  },
  {
    name: 'ScatterElements none (distinct indices)',
    inputs: {
      data: { shape: ['B', 3, 4] },
      idx: ids([0, 3, 1, 2, 3, 0, 1, 0, 2, 1, 0, 3], ['B', 3, 2]),
      upd: { shape: ['B', 3, 2] },
    },
    build: (g, { data, idx, upd }) => scatterElements(g, data!, idx!, upd!, -1, 'none'),
  },
  {
    name: 'ArgMax + GatherElements (row max)',
    inputs: { a: { shape: ['B', 3, 5] } },
    build: (g, { a }) => gatherElements(g, a!, argMax(g, a!, -1, true), -1),
  },
  {
    name: 'oneHot (weights a differentiable tensor)',
    inputs: { a: { shape: ['B', 3, 4] }, t: ids([3, 0, 1, 1, 2, 3], ['B', 3]) },
    build: (g, { a, t }) => mul(g, a!, oneHot(g, t!, 4, 'f64')),
  },
  {
    name: 'CrossEntropy',
    inputs: { logits: { shape: ['B', 3, 5], range: [-3, 3] }, t: ids([4, 0, 0, 2, 4, 1], ['B', 3]) },
    build: (g, { logits, t }) => crossEntropy(g, logits!, t!),
  },
  {
    name: 'Erf (f32: no f64 Erf on the CPU backend)',
    inputs: { a: { shape: ['B', 3, 4], dtype: 'f32', range: [-2, 2] } },
    build: (g, { a }) => erf(g, a!),
    eps: 2 ** -8,
  },
  {
    name: 'Gelu (f32: com.microsoft Gelu has no f64 CPU kernel)',
    inputs: { a: { shape: ['B', 3, 4], dtype: 'f32', range: [-3, 3] } },
    build: (g, { a }) => gelu(g, a!),
    eps: 2 ** -8,
  },
];

interface Built {
  g: Graph;
  /** Every input's values at batch B. */
  values: Map<string, number[]>;
  /** The float inputs, differentiated. */
  wrt: string[];
  /** The loss weights R (loss = sum(out * R)) at batch B. */
  weights: number[];
}

/** loss = sum(out * R), R fixed and random, so that every output element matters differently. */
function build(c: Case): Built {
  const g = new Graph();
  const next = rng(5);
  const values = new Map<string, number[]>();
  const xs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    const dtype = spec.dtype ?? 'f64';
    xs[name] = g.input(name, spec.shape, dtype);
    const [lo, hi] = spec.range ?? [-1, 1];
    const n = numel(spec.shape, B);
    values.set(
      name,
      spec.values ? [...spec.values] : Array.from({ length: n }, () => lo + (hi - lo) * next()),
    );
  }
  const built = c.build(g, xs);
  // An f32 output is cast to f64 first: the loss then changes only where the output does.
  const out = g.info(built).dtype === 'f64' ? built : cast(g, built, 'f64');
  const { shape } = g.info(out);
  const r = rng(99);
  const weights = Array.from({ length: numel(shape, B) }, () => 2 * r() - 1);
  const R = g.constant('f64', shape, {
    kind: 'floats',
    values: (batch) => {
      if (batch !== B) throw new Error('weights are drawn for batch B');
      return weights;
    },
  });
  const loss = reduceSum(g, mul(g, out, R), [...shape.keys()], false);
  g.rename(loss, 'loss');
  const wrt = g.inputs.filter((n) => g.info(n).dtype !== 'i64');
  appendBackward(g, 'loss', wrt);
  return { g, values, wrt, weights };
}

describe('GPT op gradients match central finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { g, values, wrt } = build(c);
      const runner = await CpuRunner.create(g, B);
      const checks = await finiteDifferences(runner, values, wrt, { samples: 10, eps: c.eps ?? 1e-5 });
      await runner.release();
      expect(new Set(checks.map((ch) => ch.tensor))).toEqual(new Set(wrt));
      for (const ch of checks) {
        const err = relativeError(ch.analytic, ch.numeric);
        expect(err, `${ch.tensor}[${ch.index}]: ${ch.analytic} vs ${ch.numeric}`).toBeLessThan(1e-3);
      }
    });
  }
});

/** erf by its Maclaurin series: f64-accurate (|error| < 1e-13) for |x| <= 3. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('Gelu and Erf (f32) against their exact derivatives', () => {
  it('the analytic gradients match x -> Phi(x) + x phi(x) and 2/sqrt(pi) exp(-x^2)', async () => {
    for (const [op, derivative] of [
      [
        'gelu',
        (x: number) =>
          0.5 * (1 + erfSeries(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI),
      ],
      ['erf', (x: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)],
    ] as const) {
      const c = cases.find((k) => k.name.toLowerCase().startsWith(op))!;
      const { g, values, weights } = build(c);
      const runner = await CpuRunner.create(g, B);
      const out = await runner.run(values);
      await runner.release();
      const x = values.get('a')!;
      const grad = out.get('grad/a')!;
      expect(grad, op).toHaveLength(x.length);
      x.forEach((v, i) => {
        const xf = Math.fround(v);
        const expected = weights[i]! * derivative(xf);
        expect(relativeError(grad[i]!, expected, 1e-3), `${op}'(${xf})`).toBeLessThan(1e-5);
      });
    }
  });
});

describe('embedding', () => {
  it('sums the output gradient of every position a repeated id occupies, and leaves unused rows 0', async () => {
    const c = cases.find((k) => k.name.startsWith('Embedding (repeated'))!;
    const { g, values, weights } = build(c);
    const runner = await CpuRunner.create(g, B);
    const out = await runner.run(values);
    await runner.release();
    const tokens = values.get('tokens')!;
    const expected = Array<number>(5 * 3).fill(0);
    tokens.forEach((tok, p) => {
      for (let ch = 0; ch < 3; ch++) expected[tok * 3 + ch]! += weights[p * 3 + ch]!;
    });
    const grad = out.get('grad/table')!;
    expect(grad).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(grad[i]).toBeCloseTo(e, 12));
    expect(Array.from(grad.slice(2 * 3, 3 * 3))).toEqual([0, 0, 0]); // id 2 never occurs
    // The forward pass is a lookup.
    const table = values.get('table')!;
    const loss = tokens.reduce(
      (s, tok, p) => s + [0, 1, 2].reduce((t, ch) => t + table[tok * 3 + ch]! * weights[p * 3 + ch]!, 0),
      0,
    );
    expect(out.get('loss')![0]).toBeCloseTo(loss, 12);
  });
});

describe('crossEntropy', () => {
  /** Rows [1, 2, 3] with target 0 and [1000, 1001, 1002] with target 2, at batch 1. */
  async function handCase(dtype: 'f64' | 'f32') {
    const g = new Graph();
    const logits = g.input('logits', ['B', 2, 3], dtype);
    const targets = g.input('targets', ['B', 2], 'i64');
    const loss = crossEntropy(g, logits, targets);
    g.rename(loss, 'loss');
    appendBackward(g, 'loss', [logits]);
    const runner = await CpuRunner.create(g, 1);
    const out = await runner.run(
      new Map([
        ['logits', [1, 2, 3, 1000, 1001, 1002]],
        ['targets', [0, 2]],
      ]),
    );
    await runner.release();
    return out;
  }

  // softmax([0, 1, 2]) = e^k / (1 + e + e^2); the large row is the same row shifted by 1000.
  const Z = 1 + Math.E + Math.E ** 2;
  const p = [1 / Z, Math.E / Z, Math.E ** 2 / Z];
  const lossRow0 = Math.log(Z); // logsumexp([1, 2, 3]) - 1 = (1 + log Z) - 1
  const lossRow1 = Math.log(Z) - 2; // (1000 + log Z) - 1002
  const expectedLoss = (lossRow0 + lossRow1) / 2;
  const expectedGrad = [p[0]! - 1, p[1]!, p[2]!, p[0]!, p[1]!, p[2]! - 1].map((v) => v / 2);

  it('matches the hand-computed loss and (softmax - onehot) / N, in f64', async () => {
    expect(expectedLoss).toBeCloseTo(1.40760596444438, 13); // log(1 + e + e^2) - 1
    const out = await handCase('f64');
    expect(out.get('loss')![0]).toBeCloseTo(expectedLoss, 12);
    expect(out.get('grad/logits')).toHaveLength(expectedGrad.length);
    out.get('grad/logits')!.forEach((v, i) => expect(v).toBeCloseTo(expectedGrad[i]!, 12));
  });

  it('stays finite and exact to f32 precision with logits near 1000, in f32', async () => {
    const out = await handCase('f32');
    expect(relativeError(out.get('loss')![0]!, expectedLoss)).toBeLessThan(1e-6);
    expect(out.get('grad/logits')).toHaveLength(expectedGrad.length);
    out.get('grad/logits')!.forEach((v, i) => expect(Math.abs(v - expectedGrad[i]!)).toBeLessThan(1e-6));
  });

  it('differentiates as one op: its backward reads one B·T·V forward tensor, the logits', () => {
    const c = cases.find((k) => k.name === 'CrossEntropy')!;
    const { g } = build(c);
    const producers = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const backward = g.nodes.filter((n) => n.phase === 'backward');
    const read = new Set(backward.flatMap((n) => n.inputs));
    const big = [...read].filter(
      (t) => g.info(t).shape.at(-1) === 5 && producers.get(t)?.phase !== 'backward',
    );
    expect(big).toEqual(['logits']);
    // The analytic rule, not the gradients of the forward's ops: no ReduceSum or second scatter.
    expect(backward.filter((n) => n.scope.startsWith('cross_entropy')).map((n) => n.opType)).toEqual([
      'Mul',
      'Sub',
      'Exp',
      'Div',
      'Mul',
      'Neg',
      'Expand',
      'ScatterElements',
    ]);
    for (const n of g.nodes)
      expect(['LogSoftmax', 'OneHot', 'Sum', 'SoftmaxCrossEntropyLoss']).not.toContain(n.opType);
  });
});
