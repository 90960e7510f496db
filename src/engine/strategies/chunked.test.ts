/**
 * Chunked attention past MAX_PIECES chunks: the query Split and the context Concat become trees of
 * nodes of at most MAX_PIECES pieces, in order, and the step computes the same loss and gradients
 * as view (checked against finite differences too), for every retention.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph';
import { buildTrainingGraph } from '../models/build';
import { initParams, randomInputs } from '../models/init';
import { PRESETS, type BuildSpec, type ModelConfig } from '../models/spec';
import { RETENTION_NAMES, WEBGPU_DEFAULT_LIMITS } from '../vocabulary';
import { CpuRunner, finiteDifferences, relativeError } from '../testing/ortCpu';
import { concatTree, MAX_PIECES, runs, splitTree } from './chunked';

describe('Split and Concat trees', () => {
  it('at most MAX_PIECES pieces: the storage buffer limit less the other side', () => {
    expect(MAX_PIECES).toBe(WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage - 1);
    expect(MAX_PIECES).toBe(7);
  });

  it('groups items into at most MAX_PIECES runs of near-equal length, in order', () => {
    const lengths = (n: number) => runs(Array.from({ length: n }, (_, i) => i)).map((r) => r.length);
    expect(lengths(1)).toEqual([1]);
    expect(lengths(7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(lengths(8)).toEqual([2, 1, 1, 1, 1, 1, 1]);
    expect(lengths(20)).toEqual([3, 3, 3, 3, 3, 3, 2]);
    expect(lengths(50)).toEqual([8, 7, 7, 7, 7, 7, 7]);
    expect(runs(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']).flat().join('')).toBe('abcdefghi');
  });

  it.each([1, 2, 7, 8, 20, 50])('%i pieces: every node within the limit, pieces in order', (n) => {
    const g = new Graph();
    const sizes = Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const total = sizes.reduce((a, b) => a + b, 0);
    const x = g.input('x', ['B', total, 2], 'f32');
    const pieces = splitTree(g, x, 1, sizes, 'pieces');
    expect(pieces.map((p) => g.info(p).shape[1])).toEqual(sizes);
    const y = concatTree(g, pieces, 1, 'whole');
    expect(g.info(y).shape).toEqual(['B', total, 2]);
    for (const node of g.nodes) {
      const pieceCount = node.opType === 'Split' ? node.outputs.length : node.inputs.length;
      expect(pieceCount, node.name).toBeLessThanOrEqual(MAX_PIECES);
    }
    // 8 = [2, 1 x 6]: one more Split; 20 = [3 x 6, 2]: seven more; 50 = [8, 7 x 6]: 7 + 1 more.
    const nodes = { 1: 0, 2: 1, 7: 1, 8: 2, 20: 8, 50: 9 }[n];
    expect(g.nodes.filter((node) => node.opType === 'Split')).toHaveLength(nodes!);
    expect(g.nodes.filter((node) => node.opType === 'Concat')).toHaveLength(nodes!);
  });
});

const BATCH = 2;
const model: ModelConfig = { ...PRESETS.tiny, embd: 8, heads: 2, layers: 1, attentionOnly: true };

async function runStep(spec: BuildSpec) {
  const g = buildTrainingGraph(spec);
  const runner = await CpuRunner.create(g, BATCH);
  const values = new Map([...initParams(g, 11), ...randomInputs(g, BATCH, 12)]);
  return { g, runner, values };
}

describe('chunked attention with many chunks', () => {
  // 9 chunks (one tree level), 20 with a short last chunk, 50 (two levels).
  const cases = [
    [9, 9, 1],
    [20, 39, 2],
    [50, 50, 1],
  ] as const;

  it.each(cases)(
    '%i chunks (T = %i, chunk %i): the same loss and gradients as view (f32)',
    async (_n, seq, chunk) => {
      const outputs = [];
      for (const strategy of ['view', 'chunked'] as const) {
        for (const retention of strategy === 'view' ? (['minimal'] as const) : RETENTION_NAMES) {
          const { g, runner, values } = await runStep({
            model: { ...model, seq },
            strategy,
            retention,
            chunk,
            dtype: 'f32',
            optimizer: 'none',
            microBatches: 1,
          });
          outputs.push({
            label: `${strategy}/${retention}`,
            out: await runner.run(values),
            names: g.outputs,
          });
          await runner.release();
        }
      }
      const [reference, ...chunked] = outputs;
      for (const { label, out, names } of chunked) {
        for (const name of names) {
          const a = out.get(name)!;
          const b = reference!.out.get(name)!;
          const scale = Math.max(...b.map(Math.abs));
          for (let i = 0; i < a.length; i++)
            expect(Math.abs(a[i]! - b[i]!) / scale, `${label} ${name}[${i}]`).toBeLessThan(1e-4);
        }
      }
    },
  );

  it('20 chunks: gradients match central finite differences (f64)', async () => {
    const { g, runner, values } = await runStep({
      model: { ...model, seq: 39, activation: 'relu' },
      strategy: 'chunked',
      retention: 'minimal',
      chunk: 2,
      dtype: 'f64',
      optimizer: 'none',
      microBatches: 1,
    });
    const wrt = g.outputs.slice(1).map((o) => o.replace(/^grad\//, ''));
    const checks = await finiteDifferences(runner, values, wrt, { samples: 3, eps: 1e-5 });
    await runner.release();
    for (const c of checks)
      expect(relativeError(c.analytic, c.numeric, 1e-6), `${c.tensor}[${c.index}]`).toBeLessThan(1e-3);
  });
});
