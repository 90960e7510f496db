/** Every op's gradient rule against central finite differences (f64, onnxruntime-web CPU in Node). */
import { describe, expect, it } from 'vitest';
import { appendBackward } from '../autodiff/backward';
import { Graph } from '../graph/graph';
import { numel } from '../graph/shape';
import type { Shape } from '../graph/types';
import { rng } from '../models/init';
import { CpuRunner, finiteDifferences, relativeError } from '../testing/ortCpu';
import { add } from './add';
import { concat } from './concat';
import { einsum } from './einsum';
import { expand } from './expand';
import { identity } from './identity';
import { matmul } from './matmul';
import { mul } from './mul';
import { neg } from './neg';
import { reduceMean } from './reduceMean';
import { reduceSum } from './reduceSum';
import { reshape } from './reshape';
import { softmax } from './softmax';
import { split } from './split';
import { sub } from './sub';
import { transpose } from './transpose';
import { where } from './where';

interface Case {
  name: string;
  inputs: Record<string, Shape>;
  build: (g: Graph, xs: string[]) => string;
}

const B = 2;
const cases: Case[] = [
  { name: 'Add (bias broadcast)', inputs: { a: ['B', 3, 4], b: [4] }, build: (g, [a, b]) => add(g, a!, b!) },
  { name: 'Sub (broadcast)', inputs: { a: ['B', 3, 4], b: [3, 1] }, build: (g, [a, b]) => sub(g, a!, b!) },
  {
    name: 'Mul (broadcast)',
    inputs: { a: ['B', 3, 4], b: ['B', 1, 4] },
    build: (g, [a, b]) => mul(g, a!, b!),
  },
  { name: 'Neg', inputs: { a: ['B', 3] }, build: (g, [a]) => neg(g, a!) },
  { name: 'Identity', inputs: { a: ['B', 3] }, build: (g, [a]) => identity(g, a!) },
  { name: 'MatMul (linear)', inputs: { a: ['B', 3, 4], w: [4, 5] }, build: (g, [a, w]) => matmul(g, a!, w!) },
  {
    name: 'MatMul (batched)',
    inputs: { a: ['B', 2, 3, 4], b: ['B', 2, 4, 5] },
    build: (g, [a, b]) => matmul(g, a!, b!),
  },
  {
    name: 'Einsum (scores)',
    inputs: { q: ['B', 3, 2, 4], k: ['B', 3, 2, 4] },
    build: (g, [q, k]) => einsum(g, 'bthd,bshd->bhts', q!, k!),
  },
  { name: 'Transpose', inputs: { a: ['B', 2, 3, 4] }, build: (g, [a]) => transpose(g, a!, [0, 2, 3, 1]) },
  { name: 'Reshape', inputs: { a: ['B', 2, 6] }, build: (g, [a]) => reshape(g, a!, ['B', 3, 4]) },
  { name: 'Expand', inputs: { a: [1, 3, 1] }, build: (g, [a]) => expand(g, a!, ['B', 3, 4]) },
  {
    name: 'ReduceSum (keepdims)',
    inputs: { a: ['B', 3, 4] },
    build: (g, [a]) => reduceSum(g, a!, [1], true),
  },
  {
    name: 'ReduceSum (drop dims)',
    inputs: { a: ['B', 3, 4] },
    build: (g, [a]) => reduceSum(g, a!, [0, 2], false),
  },
  { name: 'ReduceMean (all)', inputs: { a: ['B', 3, 4] }, build: (g, [a]) => reduceMean(g, a!, null, false) },
  { name: 'ReduceMean (axis)', inputs: { a: ['B', 3, 4] }, build: (g, [a]) => reduceMean(g, a!, [2], true) },
  { name: 'Softmax', inputs: { a: ['B', 3, 5] }, build: (g, [a]) => softmax(g, a!, -1) },
  {
    name: 'Split + Concat',
    inputs: { a: ['B', 3, 6] },
    build: (g, [a]) => {
      const [p, q, r] = split(g, a!, 2, [1, 2, 3]);
      return concat(g, [r!, mul(g, p!, p!), q!], 2);
    },
  },
  {
    name: 'Split (an output unused)',
    inputs: { a: ['B', 3, 6] },
    build: (g, [a]) => split(g, a!, 2, [2, 4])[1]!,
  },
  {
    name: 'Where (mask)',
    inputs: { a: ['B', 3, 3], b: [3] },
    build: (g, [a, b]) => {
      const mask = g.constant('bool', [3, 3], {
        kind: 'bools',
        values: () => [true, false, false, true, true, false, false, true, true],
      });
      return where(g, mask, a!, b!);
    },
  },
];

/** loss = sum(out * R), R fixed and random, so that every output element matters differently. */
function withLoss(c: Case): Graph {
  const g = new Graph();
  const xs = Object.entries(c.inputs).map(([n, s]) => g.input(n, s, 'f64'));
  const out = c.build(g, xs);
  const shape = g.info(out).shape;
  const r = rng(99);
  const weights = g.constant('f64', shape, {
    kind: 'floats',
    values: (batch) => Array.from({ length: numel(shape, batch) }, () => 2 * r() - 1),
  });
  const loss = reduceSum(g, mul(g, out, weights), [...shape.keys()], false);
  g.rename(loss, 'loss');
  appendBackward(g, 'loss', xs);
  return g;
}

describe('op gradients match central finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const g = withLoss(c);
      const runner = await CpuRunner.create(g, B);
      const next = rng(5);
      const values = new Map(
        g.inputs.map((n) => [n, Array.from({ length: numel(g.info(n).shape, B) }, () => 2 * next() - 1)]),
      );
      const checks = await finiteDifferences(runner, values, g.inputs, { samples: 8 });
      await runner.release();
      expect(checks.length).toBeGreaterThan(0);
      for (const ch of checks) {
        expect(relativeError(ch.analytic, ch.numeric), `${ch.tensor}[${ch.index}]`).toBeLessThan(1e-3);
      }
    });
  }
});
