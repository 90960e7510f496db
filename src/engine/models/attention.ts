/**
 * The walking skeleton's model: one causal self-attention layer plus loss = mean(y²), so there is
 * a backward pass. Equivalent to buildTrainingGraph with an attention-only, one-layer model.
 */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import type { Strategy } from '../report/schema';
import { buildTrainingGraph } from './build';
import { validateAttentionConfig, type AttentionConfig } from './config';
import { DEFAULT_CHUNK, type ModelConfig } from './spec';

export interface BuildOptions {
  dtype?: FloatDType;
}

/** The skeleton's model as a ModelConfig: one attention layer, nothing else. */
export function attentionLayerModel({ seq, embd, heads }: AttentionConfig): ModelConfig {
  return { seq, embd, heads, vocab: 1, layers: 1, mlpRatio: 4, activation: 'relu', attentionOnly: true };
}

/** Forward and backward of one attention layer; outputs: `loss`, then `grad/<param>`, `grad/x`. */
export function buildAttentionStep(
  config: AttentionConfig,
  strategy: Strategy,
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
  });
}
