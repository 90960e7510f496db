/**
 * The walking skeleton's model: one causal self-attention layer plus loss = mean(y²), so there is
 * a backward pass. Equivalent to buildTrainingGraph with an attention-only, one-layer model.
 */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { DEFAULT_CHUNK, DEFAULT_MICRO_BATCHES, DEFAULT_OPTIMIZER, type StrategyName } from '../vocabulary';
import { buildTrainingGraph } from './build';
import { attentionLayerModel, validateAttentionConfig, type AttentionConfig } from './config';

export interface BuildOptions {
  dtype?: FloatDType;
}

/** Forward and backward of one attention layer; outputs: `loss`, then `grad/<param>`, `grad/x`. */
export function buildAttentionStep(
  config: AttentionConfig,
  strategy: StrategyName,
  opts: BuildOptions = {},
): Graph {
  const errors = validateAttentionConfig(config);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return buildTrainingGraph({
    model: attentionLayerModel(config),
    strategy,
    retention: 'minimal',
    chunk: DEFAULT_CHUNK,
    dtype: opts.dtype ?? 'f32',
    optimizer: DEFAULT_OPTIMIZER,
    microBatches: DEFAULT_MICRO_BATCHES,
  });
}
