/**
 * No node of any graph Headroom builds binds more storage buffers than WebGPU's default per-stage
 * limit: every strategy x retention, with 1 to 20 query chunks (chunked attention splits the
 * queries and concatenates the contexts, and their gradients concatenate and split back).
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph';
import { buildTrainingGraph } from './build';
import { PRESETS, type BuildSpec, type ModelConfig } from './spec';
import { RETENTION_NAMES, STRATEGY_NAMES, WEBGPU_DEFAULT_LIMITS } from '../vocabulary';
import { concat } from '../ops/concat';
import { reshape } from '../ops/reshape';
import { split } from '../ops/split';
import { storageBuffersBound } from '../ops/index';
import { checkBindingLimit, nodesOverBindingLimit } from './bindingLimit';

const MAX_STORAGE_BUFFERS_PER_SHADER_STAGE = WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage;

describe('storage buffers a node binds', () => {
  it('counts GPU-read inputs and outputs: not CPU-read sizes or shapes, nothing for aliases', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 16, 4], 'f32');
    const pieces = split(g, x, 1, [2, 2, 2, 2, 2, 2, 2, 2]);
    const y = concat(g, [...pieces, x], 1);
    reshape(g, y, ['B', 128]);
    const [splitNode, concatNode, reshapeNode] = g.nodes as [
      (typeof g.nodes)[0],
      (typeof g.nodes)[0],
      (typeof g.nodes)[0],
    ];
    expect(storageBuffersBound(splitNode)).toBe(1 + 8); // x, 8 pieces; not the sizes
    expect(storageBuffersBound(concatNode)).toBe(9 + 1);
    expect(storageBuffersBound(reshapeNode)).toBe(0);
    expect(nodesOverBindingLimit(g).map((o) => [o.opType, o.buffers])).toEqual([
      ['Split', 9],
      ['Concat', 10],
    ]);
    expect(() => checkBindingLimit(g)).toThrow(
      /^2 nodes bind more than 8 storage buffers per shader stage \(WebGPU's default maxStorageBuffersPerShaderStage\): Split.* \(Split, 9\), Concat.* \(Concat, 10\)$/,
    );
    expect(nodesOverBindingLimit(g, 10)).toEqual([]);
  });
});

const attentionOnly: ModelConfig = { ...PRESETS.tiny, embd: 8, heads: 2, layers: 1, attentionOnly: true };
const gpt: ModelConfig = { ...PRESETS.tiny, embd: 8, heads: 2, layers: 1, vocab: 11 };

describe(`every graph keeps each node within ${MAX_STORAGE_BUFFERS_PER_SHADER_STAGE} storage buffers`, () => {
  const chunkCounts = Array.from({ length: 20 }, (_, i) => i + 1);
  for (const [label, model] of [
    ['attention-only', attentionOnly],
    ['gpt', gpt],
  ] as const)
    it.each(STRATEGY_NAMES.flatMap((s) => RETENTION_NAMES.map((r) => [s, r] as const)))(
      `${label}: %s / %s, 1 to 20 query chunks`,
      (strategy, retention) => {
        for (const chunks of chunkCounts) {
          // chunks of 2 rows, the last one short where the sequence is odd
          for (const seq of [2 * chunks, 2 * chunks - 1]) {
            const spec: BuildSpec = {
              model: { ...model, seq },
              strategy,
              retention,
              chunk: 2,
              dtype: 'f32',
              optimizer: 'none',
              microBatches: 1,
            };
            const g = buildTrainingGraph(spec);
            expect(nodesOverBindingLimit(g), `${chunks} chunks, seq ${seq}`).toEqual([]);
          }
        }
      },
    );
});
