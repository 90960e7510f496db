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

describe('node names', () => {
  it('are the base, then base_2, base_3..., past every name a tensor or a node holds; a clone goes on counting', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    // A tensor holding a name the search meets.
    const w = g.param('h_3', [4, 4], 'f32');
    expect(matmul(g, x, w, 'h')).toBe('h');
    expect(matmul(g, x, w, 'h')).toBe('h_2');
    // The renamed output's node keeps its name: "h" is not given again.
    g.rename('h', 'y');
    expect(g.nodes.map((n) => n.name)).toEqual(['h', 'h_2']);
    expect(matmul(g, x, w, 'h')).toBe('h_4');
    expect(matmul(g, x, w, 'k')).toBe('k');
    const c = g.clone();
    expect(matmul(c, x, w, 'h')).toBe('h_5');
    expect(matmul(c, x, w, 'k')).toBe('k_2');
    // The original counts on its own.
    expect(matmul(g, x, w, 'h')).toBe('h_5');
    expect(new Set(c.nodes.map((n) => n.name)).size).toBe(c.nodes.length);
  });
});
