import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../models/build';
import { PRESETS, type ModelConfig } from '../models/spec';
import { maxBatch, MAX_SEARCHED_BATCH } from './maxBatch';
import { planGraph, withAllocator } from './plan';

const tiny: ModelConfig = { ...PRESETS.tiny, attentionOnly: true, layers: 1, seq: 16, embd: 8, heads: 2 };
const g = buildTrainingGraph({
  model: tiny,
  strategy: 'view',
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
});
const plan = planGraph(g, { allocator: 'lazy' });
const scores = 'block0/attention/scores';

describe('maxBatch', () => {
  // view/minimal peaks in the softmax backward at 1792 + 8320·B bytes (plan.test.ts derives
  // B = 2: 18432); the largest buffer is the scores [B, 2, 16, 16] f32, 2048·B bytes.
  it('is linear here: the peak at B', () => {
    for (const b of [1, 2, 7]) expect(plan.peakBytes(b)).toBe(1792 + 8320 * b);
    expect(plan.largestBuffer(3)).toEqual({ tensor: scores, bytes: 6144 });
  });

  it('stops where the budget binds', () => {
    expect(maxBatch(plan, 60032)).toEqual({
      batch: 7,
      limitedBy: 'budget',
      bufferLimit: null,
      peakBytes: 60032,
    });
    expect(maxBatch(plan, 60031).batch).toBe(6);
    expect(maxBatch(plan, 10111)).toEqual({ batch: 0, limitedBy: 'budget', bufferLimit: null, peakBytes: 0 });
  });

  it('stops where one buffer outgrows the storage binding size', () => {
    const m = maxBatch(plan, 1e12, { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 10240 });
    expect(m).toEqual({
      batch: 5,
      limitedBy: 'maxBufferSize',
      bufferLimit: { limit: 'maxStorageBufferBindingSize', limitBytes: 10240, tensor: scores, bytes: 12288 },
      peakBytes: 1792 + 8320 * 5,
    });
  });

  it('stops where one buffer outgrows maxBufferSize', () => {
    const m = maxBatch(plan, 1e12, { maxBufferSize: 8192, maxStorageBufferBindingSize: 1 << 27 });
    expect([m.batch, m.limitedBy, m.bufferLimit?.limit]).toEqual([4, 'maxBufferSize', 'maxBufferSize']);
  });

  it('takes the budget when both would bind at the same batch only if the buffer still fits', () => {
    const m = maxBatch(plan, plan.peakBytes(5), { maxBufferSize: 10240, maxStorageBufferBindingSize: 10240 });
    expect([m.batch, m.limitedBy]).toEqual([5, 'maxBufferSize']);
  });

  it('reports batch 0 when even batch 1 has a buffer over the limit', () => {
    const m = maxBatch(plan, 1e12, { maxBufferSize: 1024, maxStorageBufferBindingSize: 1024 });
    expect([m.batch, m.limitedBy]).toEqual([0, 'maxBufferSize']);
  });

  it('ends the search at MAX_SEARCHED_BATCH', () => {
    expect(maxBatch(plan, Infinity).batch).toBe(MAX_SEARCHED_BATCH);
  });

  it('counts bucket-rounded buffers in bucket mode', () => {
    const bucket = withAllocator(plan, 'bucket');
    const m = maxBatch(bucket, 60032);
    expect(bucket.peakBytes(m.batch)).toBeLessThanOrEqual(60032);
    expect(bucket.peakBytes(m.batch + 1)).toBeGreaterThan(60032);
    expect(m.batch).toBeLessThan(7);
  });
});
