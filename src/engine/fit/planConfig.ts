/**
 * The PlanConfig of a setup: the model, chunk and allocator every setup shares, and the setup's
 * own dtype, micro-batch count and the request's optimizer. The planner plans a micro-batch step
 * with the optimizer's update and state, `mixed`'s f32 master parameters and the gradient
 * accumulator (ComboPlanner with `optimizer`, `dtype`, `microBatches`).
 */
import type { PlanConfig } from '../explore/types';
import type { ModelConfig } from '../models/spec';
import type { Allocator, LossStrategy, OptimizerName } from '../vocabulary';
import type { Setup } from './types';

/** What a setup is planned under besides its combination: the model, the chunk, the allocator. */
export interface PlanBase {
  model: ModelConfig;
  chunk: number;
  allocator: Allocator;
  loss: LossStrategy;
  lossChunk: number;
}

export function planConfigFor(base: PlanBase, setup: Setup, optimizer: OptimizerName): PlanConfig {
  return {
    model: { ...base.model },
    chunk: base.chunk,
    dtype: setup.dtype,
    allocator: base.allocator,
    optimizer,
    microBatches: setup.microBatches,
    loss: base.loss,
    lossChunk: base.lossChunk,
  };
}
