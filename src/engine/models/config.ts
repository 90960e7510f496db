/** The attention-layer configuration a user picks, and its validation (one message per bad field). */
import type { ModelConfig } from './spec';

export interface AttentionConfig {
  /** Sequence length T. */
  seq: number;
  /** Embedding size C. */
  embd: number;
  /** Number of heads H; C must be divisible by H. */
  heads: number;
}

export type ConfigField = keyof AttentionConfig | 'batch';

export interface ConfigError {
  field: ConfigField;
  message: string;
}

export const LIMITS = {
  batch: { min: 1, max: 64 },
  seq: { min: 1, max: 4096 },
  embd: { min: 1, max: 8192 },
  heads: { min: 1, max: 128 },
} as const;

function checkInt(field: ConfigField, value: number): ConfigError | null {
  const { min, max } = LIMITS[field];
  if (!Number.isInteger(value)) return { field, message: `${field} must be a whole number, got ${value}` };
  if (value < min || value > max)
    return { field, message: `${field} must be between ${min} and ${max}, got ${value}` };
  return null;
}

/** Every problem with a configuration; empty when it can be built. */
export function validateAttentionConfig(
  config: AttentionConfig,
  batches: readonly number[] = [],
): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const field of ['seq', 'embd', 'heads'] as const) {
    const e = checkInt(field, config[field]);
    if (e) errors.push(e);
  }
  for (const b of batches) {
    const e = checkInt('batch', b);
    if (e) {
      errors.push(e);
      break;
    }
  }
  if (!errors.some((e) => e.field === 'embd' || e.field === 'heads') && config.embd % config.heads !== 0) {
    errors.push({
      field: 'embd',
      message: `embedding size ${config.embd} is not divisible by ${config.heads} heads`,
    });
  }
  return errors;
}

/** The skeleton's model as a ModelConfig: one attention layer, nothing else. */
export function attentionLayerModel({ seq, embd, heads }: AttentionConfig): ModelConfig {
  return { seq, embd, heads, vocab: 1, layers: 1, mlpRatio: 4, activation: 'relu', attentionOnly: true };
}
