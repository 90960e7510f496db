import { describe, expect, it } from 'vitest';
import { PRESETS, type BuildSpec } from '../models/spec';
import { pointSchema } from '../report/schema';
import { maxBatchEntry, planSpec, predicted } from './toReport';

const spec: BuildSpec = {
  model: { ...PRESETS.tiny, attentionOnly: true, layers: 1, seq: 16, embd: 8, heads: 2 },
  strategy: 'view',
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
};

describe('the plan in a report', () => {
  const { graph, plan } = planSpec(spec, 'lazy');

  it('fills a point’s predicted (validated by the report schema)', () => {
    const p = predicted(plan, 2);
    expect(p.peakBytes).toBe(18432);
    // The floor of plan.test.ts's same model: the end of the step, 4368 bytes.
    expect(p.floorBytes).toBe(4368);
    expect(p.peakNode).toBe('block0/attention/softmax.grad.ReduceSum');
    expect(p.ops).toHaveLength(graph.nodes.length + 1);
    expect(p.ops[0]).toMatchObject({ node: 'input', allocBytes: 1024, liveBytesAfter: 1488 + 1024 });
    expect(p.ops[1]!.outputs[0]).toEqual({
      name: 'block0/attention/c_attn/MatMul',
      shape: [2, 16, 24],
      dtype: 'float',
      bytes: 3072,
    });
    const point = {
      strategy: 'view',
      retention: 'minimal',
      batch: 2,
      predicted: p,
      measured: null,
      error: null,
    };
    expect(pointSchema.parse(point).predicted?.byCategory.activation).toBe(6144);
  });

  it('fills a maxBatch entry', () => {
    expect(maxBatchEntry(plan, 'view', 'minimal', 60032)).toEqual({
      strategy: 'view',
      retention: 'minimal',
      budgetBytes: 60032,
      batch: 7,
      limitedBy: 'budget',
    });
  });
});
