/** A plan configuration for tests: the `tiny` preset, f32, no optimizer, one micro-batch, the lazy allocator. */
import { PRESETS } from '../models/spec';
import type { PlanConfig } from '../explore/types';

export function testPlanConfig(over: Partial<PlanConfig> = {}): PlanConfig {
  return {
    model: PRESETS.tiny,
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
    allocator: 'lazy',
    loss: 'standard',
    lossChunk: 128,
    ...over,
  };
}
