import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph';
import { add } from '../ops/add';
import { exp } from '../ops/exp';
import { neg } from '../ops/neg';
import { relu } from '../ops/relu';
import { transpose } from '../ops/transpose';
import { buildTrainingGraph } from '../models/build';
import { PRESETS } from '../models/spec';
import { ortExecutionOrder, reverseDfsOrder } from './order';

const names = (g: Graph) => ortExecutionOrder(g).nodes.map((s) => s.node.name);

describe('reverseDfsOrder (onnxruntime ExecutionOrder::DEFAULT)', () => {
  it('visits the highest-index producer first', () => {
    // 0: a = A(x); 1: b = B(a); 2: c = C(a); 3: d = D(b, c). Leaf 3 pushes producers 1 then 2,
    // so 2 is popped first: its subtree (0) is emitted, then 2, then 1, then 3.
    const order = reverseDfsOrder([
      { inputs: ['x'], outputs: ['a'] },
      { inputs: ['a'], outputs: ['b'] },
      { inputs: ['a'], outputs: ['c'] },
      { inputs: ['b', 'c'], outputs: ['d'] },
    ]);
    expect(order).toEqual([0, 2, 1, 3]);
  });

  it('runs the leaves from the highest index down', () => {
    // Two unrelated leaves are pushed in index order; the last pushed (index 1) runs first.
    expect(
      reverseDfsOrder([
        { inputs: ['x'], outputs: ['p'] },
        { inputs: ['x'], outputs: ['q'] },
      ]),
    ).toEqual([1, 0]);
  });

  it('skips removed nodes and inputs without a producer', () => {
    expect(
      reverseDfsOrder([null, { inputs: ['x', 'w'], outputs: ['y'] }, { inputs: ['y'], outputs: ['z'] }]),
    ).toEqual([1, 2]);
  });

  it('enters a node from the last parent that pushed it (an iterative DFS, not a recursive one)', () => {
    // 0: a; 1: b = B(a); 2: c = C(a, b); 3: d = D(a, c). Leaf 3 pushes 0 then 2; 2 pushes 0 and 1;
    // 1 pushes 0, which is popped (visited) from 1's push: order 0, 1, 2, 3.
    expect(
      reverseDfsOrder([
        { inputs: ['x'], outputs: ['a'] },
        { inputs: ['a'], outputs: ['b'] },
        { inputs: ['a', 'b'], outputs: ['c'] },
        { inputs: ['a', 'c'], outputs: ['d'] },
      ]),
    ).toEqual([0, 1, 2, 3]);
  });
});

describe('ortExecutionOrder on our graphs (serialised in reverse)', () => {
  it('runs a later-built branch first when both feed one node', () => {
    // Ours: n0 a = relu(x); n1 b = neg(x); n2 c = exp(a); n3 d = add(b, c).
    // onnxruntime indices: n3 = 0, n2 = 1, n1 = 2, n0 = 3. Leaf n3 pushes its producers by
    // ascending index, c (1) then b (2): b's producer n1 pops first, then n2 pulls in n0.
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    const a = relu(g, x, 'n0');
    const b = neg(g, x, 'n1');
    const c = exp(g, a, 'n2');
    add(g, b, c, 'n3');
    expect(names(g)).toEqual(['n1', 'n0', 'n2', 'n3']);
  });

  it('keeps our order for a chain and for one consumer per producer', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    exp(g, neg(g, relu(g, x, 'n0'), 'n1'), 'n2');
    expect(names(g)).toEqual(['n0', 'n1', 'n2']);
  });

  it('merges Transpose -> Transpose into the second node, which reads the first one input', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 3, 4], 'f32');
    const t1 = transpose(g, x, [0, 2, 1], 't1');
    const t2 = transpose(g, t1, [1, 0, 2], 't2');
    neg(g, t2, 'n');
    const s = ortExecutionOrder(g);
    expect(s.nodes.map((n) => n.node.name)).toEqual(['t2', 'n']);
    expect(s.removed).toEqual(['t1']);
    expect(s.nodes[0]!.inputs).toEqual(['x']);
    expect(s.nodes[0]!.composedWith).toEqual(['t1']);
  });

  it('keeps the first Transpose while something else reads it, and merges chains', () => {
    // Visiting order t1, r, t2, t3, sum: t2 takes t1's permutation (t1 stays: r reads it), then
    // t3 takes t2's, and t2, read by nothing any more, goes.
    const g = new Graph();
    const x = g.input('x', ['B', 3, 4], 'f32');
    const t1 = transpose(g, x, [0, 2, 1], 't1');
    const t2 = transpose(g, t1, [1, 0, 2], 't2');
    add(g, relu(g, t1, 'r'), transpose(g, t2, [1, 0, 2], 't3'), 'sum');
    const s = ortExecutionOrder(g);
    expect(s.nodes.map((n) => n.node.name)).toEqual(['t1', 'r', 't3', 'sum']);
    expect(s.removed).toEqual(['t2']);
    const t3 = s.nodes.find((n) => n.node.name === 't3')!;
    expect([t3.inputs, t3.composedWith]).toEqual([['x'], ['t1', 't2']]);
    expect(s.notes).toEqual([
      expect.stringContaining('Transpose t1 feeds Relu r'),
      expect.stringContaining('Transpose t3 feeds Add sum'),
    ]);
  });

  it('removes cancelling Transposes and points their readers at the source', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 3, 4], 'f32');
    const t2 = transpose(g, transpose(g, x, [0, 2, 1], 't1'), [0, 2, 1], 't2');
    neg(g, t2, 'n');
    const s = ortExecutionOrder(g);
    expect(s.nodes.map((n) => [n.node.name, n.inputs])).toEqual([['n', ['x']]]);
    expect(s.removed.sort()).toEqual(['t1', 't2']);
  });

  it('notes a Transpose feeding an op the optimizer could push it through', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 3, 4], 'f32');
    neg(g, transpose(g, x, [0, 2, 1], 't1'), 'n');
    expect(ortExecutionOrder(g).notes).toEqual([expect.stringContaining('Transpose t1 feeds Neg n')]);
  });

  it('reproduces the measured order of the tiny copy-strategy step (scripts/plan-vs-measured.mjs)', () => {
    const model = { ...PRESETS.tiny, attentionOnly: true, layers: 1, seq: 8, embd: 16, heads: 2 };
    const g = buildTrainingGraph({
      model,
      strategy: 'copy',
      retention: 'minimal',
      chunk: 8,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const s = ortExecutionOrder(g);
    const a = 'block0/attention/';
    // Measured on onnxruntime-web 1.30 (Dawn, SwiftShader): v before q before k, k_heads merged
    // into k_transpose (which reads k_heads_view), and the same in the backward pass.
    expect(s.nodes.slice(0, 10).map((n) => n.node.name)).toEqual(
      [
        'c_attn/MatMul',
        'c_attn/bias',
        'qkv_split',
        'v_heads_view',
        'v_heads',
        'q_heads_view',
        'q_heads',
        'k_heads_view',
        'k_transpose',
        'scores',
      ].map((n) => a + n),
    );
    expect(s.removed.sort()).toEqual([`${a}k_heads`, `${a}k_transpose.grad.Transpose`]);
    expect(s.nodes.find((n) => n.node.name === `${a}k_heads.grad.Transpose`)!.inputs).toEqual([
      `${a}scores.grad.MatMul_2`,
    ]);
    expect(s.notes).toEqual([]);
  });
});
