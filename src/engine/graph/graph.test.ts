import { describe, expect, it } from 'vitest';
import { Graph } from './graph';
import { matmul } from '../ops/matmul';

describe('Graph.clone', () => {
  it('copies the lists and tables: changing the clone leaves the original as it was', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    const w = g.param('W', [4, 4], 'f32');
    g.outputs.push(matmul(g, x, w, 'h'));
    const c = g.clone();
    expect([c.nodes, c.inputs, c.params, c.outputs, [...c.tensors]]).toEqual([
      g.nodes,
      g.inputs,
      g.params,
      g.outputs,
      [...g.tensors],
    ]);
    c.retained.push('h');
    c.rename('h', 'y');
    matmul(c, 'y', w, 'h2');
    expect(g.retained).toEqual([]);
    expect(g.outputs).toEqual(['h']);
    expect(g.nodes.map((n) => n.outputs)).toEqual([['h']]);
    expect(g.tensors.has('y')).toBe(false);
    // Names taken in the original stay taken in the clone.
    expect(matmul(c, x, w, 'h')).toBe('h_2');
  });
});
