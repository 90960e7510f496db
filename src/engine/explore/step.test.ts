import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph';
import { exp } from '../ops/exp';
import { matmul } from '../ops/matmul';
import { mul } from '../ops/mul';
import { reduceSum } from '../ops/reduceSum';
import { reshape } from '../ops/reshape';
import { buildTrainingGraph } from '../models/build';
import { attentionLayerModel } from '../models/config';
import { planGraph } from '../plan/plan';
import { testPlanConfig } from '../testing/planConfig';
import { CATEGORIES, type Category } from '../vocabulary';
import { NO_OP_TYPE, stepDetail } from './step';
import type { PlanConfig, StepRequest } from './types';

const config: PlanConfig = testPlanConfig({
  model: attentionLayerModel({ seq: 4, embd: 8, heads: 2 }),
  chunk: 64,
});
const request = (batch: number): StepRequest => ({
  config,
  combo: { strategy: 'view', retention: 'minimal' },
  batch,
});

/** A row of live bytes per category from the categories that are non-zero. */
const row = (bytes: Partial<Record<Category, number>>) => CATEGORIES.map((c) => bytes[c] ?? 0);

/** plan.test.ts's chain: x [B, 4] -> h = x W -> r = reshape(h) -> e = exp(r) -> s = ReduceSum(e) -> y = s * s. */
function chain(): Graph {
  const g = new Graph();
  const x = g.input('x', ['B', 4], 'f32');
  const w = g.param('W', [4, 4], 'f32');
  const r = reshape(g, matmul(g, x, w, 'h'), ['B', 2, 2], 'r');
  const s = reduceSum(g, exp(g, r, 'e'), [1], false, 's');
  g.outputs.push(mul(g, s, s, 'y'));
  return g;
}

describe('stepDetail', () => {
  it('the chain at batch 2: live bytes per category during each step, hand-worked', () => {
    // As plan.test.ts works it out: W 64 resident; x 32; h 32; r aliases h; e 32, then h freed;
    // s 16 + its scratch 32 + 16 (the peak, 192), then e and the scratch freed; y 16 (an output).
    const d = stepDetail(planGraph(chain(), { allocator: 'lazy' }), request(2));
    expect(d.timeline.map((r) => [r.step, r.node, r.liveByCategory, r.liveBytes])).toEqual([
      [0, 'input', row({ parameter: 64, input: 32 }), 96],
      [1, 'h', row({ parameter: 64, input: 32, temporary: 32 }), 128],
      [2, 'r', row({ parameter: 64, input: 32, temporary: 32 }), 128],
      [3, 'e', row({ parameter: 64, input: 32, temporary: 64 }), 160],
      [4, 's', row({ parameter: 64, input: 32, temporary: 96 }), 192],
      [5, 'y', row({ parameter: 64, input: 32, temporary: 16, output: 16 }), 128],
    ]);
    expect([d.peakBytes, d.peakStep, d.peakNode]).toEqual([192, 4, 's']);
    expect(d.atPeak.map((t) => [t.tensor, t.bytes, t.producer, t.opType])).toEqual([
      ['W', 64, 'initializer', NO_OP_TYPE],
      ['x', 32, 'input', 'Input'],
      ['e', 32, 'e', 'Exp'],
      ['s#transposed input', 32, 's', 'ReduceSum'],
      ['s', 16, 's', 'ReduceSum'],
      ['s#reduced', 16, 's', 'ReduceSum'],
    ]);
  });

  it('one attention layer (seq 4, embd 8, 2 heads) at batch 3: hand-worked bytes', () => {
    const g = buildTrainingGraph({
      model: config.model,
      strategy: 'view',
      retention: 'minimal',
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const d = stepDetail(planGraph(g, { allocator: 'lazy', floor: config.model }), request(3));
    const at = (cat: Category, step: number) => d.timeline[step]!.liveByCategory[CATEGORIES.indexOf(cat)];
    // Parameters, f32: c_attn 8x24 + 24, c_proj 8x8 + 8 = 288 floats = 1152 bytes, all step long.
    const last = d.timeline.length - 1;
    for (const step of [0, last]) expect(at('parameter', step)).toBe(1152);
    // The input x [3, 4, 8] f32 = 384 bytes from step 0.
    expect(at('input', 0)).toBe(384);
    // At the end: every parameter's gradient (1152) and x's (384); the loss, 4 bytes in a 16-byte buffer.
    expect([at('gradient', last), at('output', last)]).toEqual([1536, 16]);
    // The QKV projection writes [3, 4, 24] f32 = 1152 bytes; the scores [3, 2, 4, 4] f32 = 384.
    const alloc = (node: string) => d.timeline.find((r) => r.node === node)!.allocBytes;
    expect(alloc('block0/attention/c_attn/MatMul')).toBe(1152);
    expect(alloc('block0/attention/scores')).toBe(384);
  });

  it('agrees with the plan: the largest row is the peak, the peak row is the breakdown', () => {
    const g = buildTrainingGraph({
      model: config.model,
      strategy: 'copy',
      retention: 'tape',
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const plan = planGraph(g, { allocator: 'bucket', floor: config.model });
    for (const batch of [1, 3, 17]) {
      const d = stepDetail(plan, request(batch));
      expect(Math.max(...d.timeline.map((r) => r.liveBytes))).toBe(d.peakBytes);
      expect(d.timeline[d.peakStep]!.liveBytes).toBe(d.peakBytes);
      expect(d.timeline[d.peakStep]!.liveByCategory).toEqual(CATEGORIES.map((c) => d.byCategory[c]));
      expect(Object.values(d.byCategory).reduce((a, b) => a + b, 0)).toBe(d.peakBytes);
      expect(d.atPeak.reduce((n, t) => n + t.bytes, 0)).toBe(d.peakBytes);
      // Each row: what was live after the previous step, plus what this one allocates.
      d.timeline.slice(1).forEach((r, i) => {
        expect(r.liveBytes).toBe(d.timeline[i]!.liveBytesAfter + r.allocBytes);
      });
      const bytes = d.atPeak.map((t) => t.bytes);
      expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
      expect(d.peakBytes).toBe(plan.peakBytes(batch));
    }
  });
});
