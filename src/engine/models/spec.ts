/**
 * What to build: a model (from a preset, every field overridable), an attention strategy, a
 * retention policy, a dtype, an optimizer and the micro-batches of a step. One validation for the
 * UI, the CLI and the engine.
 */
import type { FloatDType } from '../graph/types';
import {
  ACTIVATIONS,
  MAX_MICRO_BATCHES,
  OPTIMIZERS,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  LOSS_STRATEGIES,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  TRAINING_DTYPES,
  type Activation,
  type OptimizerName,
  type LossStrategy,
  type RetentionName,
  type StrategyName,
  type TrainingDType,
} from '../vocabulary';

export interface ModelConfig {
  vocab: number;
  seq: number;
  embd: number;
  heads: number;
  layers: number;
  mlpRatio: number;
  activation: Activation;
  /** Blocks of attention only (no LayerNorm, MLP, embeddings or LM head): the skeleton's model. */
  attentionOnly: boolean;
}

export const PRESETS = {
  /** The ported char-level nanoGPT that ran out of memory at batch 64 (README.md). */
  seed: {
    vocab: 65,
    seq: 256,
    embd: 384,
    heads: 6,
    layers: 6,
    mlpRatio: 4,
    activation: 'relu',
    attentionOnly: false,
  },
  'gpt2-small': {
    vocab: 50257,
    seq: 1024,
    embd: 768,
    heads: 12,
    layers: 12,
    mlpRatio: 4,
    activation: 'gelu',
    attentionOnly: false,
  },
  /** Small enough for SwiftShader in tests. */
  tiny: {
    vocab: 17,
    seq: 16,
    embd: 32,
    heads: 4,
    layers: 2,
    mlpRatio: 4,
    activation: 'gelu',
    attentionOnly: false,
  },
} as const satisfies Record<string, ModelConfig>;
export type PresetName = keyof typeof PRESETS;

export interface BuildSpec {
  model: ModelConfig;
  strategy: StrategyName;
  retention: RetentionName;
  /** Query chunk size of the `chunked` strategy. */
  chunk: number;
  /** `f64` only in the CPU gradient checks (WebGPU has no f64). */
  dtype: TrainingDType | 'f64';
  optimizer: OptimizerName;
  /**
   * k >= 1 micro-batches per step: the effective batch is k × the batch built; k > 1 accumulates
   * the gradients of k - 1 micro-batches in persistent buffers before the optimizer's update.
   */
  microBatches: number;
  /** How the loss is computed (LOSS_STRATEGIES); absent: DEFAULT_LOSS_STRATEGY. */
  loss?: LossStrategy;
  /** Sequence positions per chunk of the `chunked` loss; absent: DEFAULT_LOSS_CHUNK. */
  lossChunk?: number;
}

/** The spec's loss strategy and chunk, defaults filled in. */
export function lossOf(spec: Pick<BuildSpec, 'loss' | 'lossChunk'>): {
  loss: LossStrategy;
  lossChunk: number;
} {
  return { loss: spec.loss ?? DEFAULT_LOSS_STRATEGY, lossChunk: spec.lossChunk ?? DEFAULT_LOSS_CHUNK };
}

/** The float type of activations, gradients and the parameters' compute copies. */
export function computeDType(dtype: BuildSpec['dtype']): FloatDType {
  return dtype === 'mixed' ? 'f16' : dtype;
}

/** The float type of parameters and optimizer state (`mixed`: f32 master copies). */
export function masterDType(dtype: BuildSpec['dtype']): FloatDType {
  return dtype === 'mixed' ? 'f32' : dtype;
}

/** What the model builders (gpt.ts, the attention-only stack) see: one float type, the compute one. */
export type ModelSpec = Omit<BuildSpec, 'dtype'> & { dtype: FloatDType };

export interface SpecError {
  field: string;
  message: string;
}

const INT_FIELDS = ['vocab', 'seq', 'embd', 'heads', 'layers', 'mlpRatio'] as const;

/**
 * The largest value of each field Headroom builds, and why. A value past these cannot run on
 * WebGPU or would make the plan inexact, so it is refused with the reason instead of crashing.
 */
export const FIELD_LIMITS = {
  vocab: { max: 2 ** 24, why: 'token ids travel as f32 values on the GPU, exact only below 2^24' },
  seq: { max: 2 ** 16, why: 'a T×T score matrix of more elements than a WGSL u32 index can address' },
  embd: { max: 2 ** 16, why: 'a C×4C weight of more elements than a WGSL u32 index can address' },
  heads: { max: 2 ** 12, why: 'a B·H·T² score tensor per layer' },
  layers: { max: 512, why: 'deeper than any GPT; plans stay in seconds' },
  mlpRatio: { max: 64, why: 'an MLP far wider than any transformer uses' },
  chunk: { max: 2 ** 16, why: 'the longest sequence' },
  lossChunk: { max: 2 ** 16, why: 'the longest sequence' },
} as const satisfies Record<
  (typeof INT_FIELDS)[number] | 'chunk' | 'lossChunk',
  { max: number; why: string }
>;

function checkField(field: keyof typeof FIELD_LIMITS, value: number): SpecError | null {
  if (!Number.isInteger(value) || value < 1)
    return { field, message: `${field} must be a positive integer, got ${value}` };
  const { max, why } = FIELD_LIMITS[field];
  if (value > max) return { field, message: `${field} must be at most ${max} (${why}), got ${value}` };
  return null;
}

/**
 * Every problem with what all combinations share — the model, the query chunk and the loss —
 * for callers that try every strategy, retention and dtype (the fit advisor and `headroom fit`).
 */
export function validateModelOptions(
  o: Pick<BuildSpec, 'model' | 'chunk' | 'loss' | 'lossChunk'>,
): SpecError[] {
  return validateSpec({
    ...o,
    strategy: 'view',
    retention: 'minimal',
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  });
}

/** Every problem with a spec; empty when it can be built. */
export function validateSpec(spec: BuildSpec): SpecError[] {
  const errors: SpecError[] = [];
  const m = spec.model;
  for (const f of INT_FIELDS) {
    const e = checkField(f, m[f]);
    if (e) errors.push(e);
  }
  if (!errors.some((e) => e.field === 'embd' || e.field === 'heads') && m.embd % m.heads !== 0) {
    errors.push({ field: 'embd', message: `embedding size ${m.embd} is not divisible by ${m.heads} heads` });
  }
  if (!(ACTIVATIONS as readonly string[]).includes(m.activation)) {
    errors.push({
      field: 'activation',
      message: `activation must be one of ${ACTIVATIONS.join(', ')}, got ${m.activation}`,
    });
  }
  if (!(STRATEGY_NAMES as readonly string[]).includes(spec.strategy)) {
    errors.push({
      field: 'strategy',
      message: `strategy must be one of ${STRATEGY_NAMES.join(', ')}, got ${spec.strategy}`,
    });
  }
  if (!(RETENTION_NAMES as readonly string[]).includes(spec.retention)) {
    errors.push({
      field: 'retention',
      message: `retention must be one of ${RETENTION_NAMES.join(', ')}, got ${spec.retention}`,
    });
  }
  const chunkError = checkField('chunk', spec.chunk);
  if (chunkError) errors.push(chunkError);
  errors.push(...lossErrors(spec));
  // f64 is not offered to users (WebGPU has no f64); the CPU gradient checks build f64 graphs.
  if (![...TRAINING_DTYPES, 'f64'].includes(spec.dtype)) {
    errors.push({
      field: 'dtype',
      message: `dtype must be one of ${TRAINING_DTYPES.join(', ')}, got ${spec.dtype}`,
    });
  }
  if (!(OPTIMIZERS as readonly string[]).includes(spec.optimizer)) {
    errors.push({
      field: 'optimizer',
      message: `optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${spec.optimizer}`,
    });
  }
  const k = spec.microBatches;
  if (!Number.isInteger(k) || k < 1 || k > MAX_MICRO_BATCHES) {
    errors.push({
      field: 'microBatches',
      message: `micro-batches must be a whole number from 1 to ${MAX_MICRO_BATCHES}, got ${k}`,
    });
  }
  return errors;
}

/** Problems with the loss strategy and its chunk. */
function lossErrors(spec: BuildSpec): SpecError[] {
  const { loss, lossChunk } = lossOf(spec);
  if (!(LOSS_STRATEGIES as readonly string[]).includes(loss))
    return [{ field: 'loss', message: `loss must be one of ${LOSS_STRATEGIES.join(', ')}, got ${loss}` }];
  if (loss === 'chunked' && spec.model.attentionOnly)
    return [
      {
        field: 'loss',
        message:
          'the chunked loss chunks the LM head and cross-entropy: an attention-only model has neither (its loss is mean(y²))',
      },
    ];
  const chunkError = checkField('lossChunk', lossChunk);
  return chunkError ? [chunkError] : [];
}
