/**
 * Every name Headroom uses, declared once: the report schema, the engine, the CLI and the page
 * all import them from here (docs/architecture.md, "Vocabulary"). Nothing here imports anything,
 * so any layer may depend on it.
 */

/** How attention is written: permutes materialised, read in place, one fused kernel, query chunks. */
export const STRATEGY_NAMES = ['copy', 'view', 'fused', 'chunked'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** What the backward pass keeps alive: what each gradient reads, everything, each block's input. */
export const RETENTION_NAMES = ['minimal', 'tape', 'checkpoint'] as const;
export type RetentionName = (typeof RETENTION_NAMES)[number];

/** onnxruntime-web's WebGPU buffer cache as users name it: exact sizes, or its bucket table. */
export const ALLOCATORS = ['lazy', 'bucket'] as const;
export type Allocator = (typeof ALLOCATORS)[number];

/** The same choice as onnxruntime-web's `storageBufferCacheMode` spells it. */
export type CacheMode = 'lazyRelease' | 'bucket';
export const CACHE_MODE: Readonly<Record<Allocator, CacheMode>> = { lazy: 'lazyRelease', bucket: 'bucket' };
export const DEFAULT_ALLOCATOR: Allocator = 'lazy';
export const DEFAULT_CACHE_MODE: CacheMode = CACHE_MODE[DEFAULT_ALLOCATOR];

/** Float types of tensors (the CPU gradient checks also build f64 graphs). */
export const DTYPES = ['f32', 'f16'] as const;

/**
 * How a training step holds its floats: all f32, all f16, or `mixed` (f32 master parameters and
 * optimizer state, f16 compute copies of the parameters, f16 activations and gradients, the
 * gradients cast back to f32 for the update).
 */
export const TRAINING_DTYPES = ['f32', 'f16', 'mixed'] as const;
export type TrainingDType = (typeof TRAINING_DTYPES)[number];
export const DEFAULT_DTYPE: TrainingDType = 'f32';

/**
 * The optimizer of the step: `none` (the step ends with the gradients), `sgd` (with momentum),
 * `adamw`. Its update runs in the graph after the gradients; its state is `optimizer state`.
 */
export const OPTIMIZERS = ['none', 'sgd', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const DEFAULT_OPTIMIZER: OptimizerName = 'none';

/** Micro-batches per step (gradient accumulation): 1, none; the most Headroom plans. */
export const DEFAULT_MICRO_BATCHES = 1;
export const MAX_MICRO_BATCHES = 2 ** 16;

/**
 * Tensor element types as onnxruntime names them in its profile (and so in the report's tensor
 * records), with their size in bytes.
 */
export const ELEMENT_BYTES = {
  float: 4,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  double: 8,
  float64: 8,
  int64: 8,
  uint64: 8,
  int32: 4,
  uint32: 4,
  int16: 2,
  uint16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
} as const;
export type ElementType = keyof typeof ELEMENT_BYTES;
export const ELEMENT_TYPES = Object.keys(ELEMENT_BYTES) as ElementType[];

export const ACTIVATIONS = ['relu', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** recompute: forward work redone in the backward pass (checkpointing, chunked and fused attention). */
export const PHASES = ['forward', 'backward', 'recompute'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * What a planned buffer holds: parameter (and the updated parameters an optimizer writes),
 * constant (graph constants resident on the GPU), input, activation (forward tensors kept for the
 * backward pass: read by a backward or recompute node, or retained by a tape), temporary
 * (everything else), gradient (`grad/*`, and the accumulated gradients of micro-batches),
 * optimizer state (momentum, AdamW's moments and step, old and updated: kept across steps),
 * output (other graph outputs: the loss).
 */
export const CATEGORIES = [
  'parameter',
  'constant',
  'input',
  'activation',
  'temporary',
  'gradient',
  'optimizer state',
  'output',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Why a point has no measurement. Skips are decided before running (from the plan or the
 * configuration); failures happen while running.
 */
export const SKIP_CODES = ['cancelled', 'invalid-config', 'over-limit', 'over-budget'] as const;
export const FAILURE_CODES = [
  'oom',
  'device-lost',
  'validation',
  'no-webgpu',
  'session',
  'run',
  'profile',
  'release',
  'rpc',
] as const;
export const ERROR_CODES = [...SKIP_CODES, ...FAILURE_CODES] as const;
export type SkipCode = (typeof SKIP_CODES)[number];
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether a point's error code means it was skipped (not run), rather than failed. */
export const isSkipCode = (code: string): code is SkipCode =>
  (SKIP_CODES as readonly string[]).includes(code);
export const isErrorCode = (code: unknown): code is ErrorCode =>
  (ERROR_CODES as readonly unknown[]).includes(code);

/** The device limits the planner and the sweep check a point against. */
export interface DeviceLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The device limit on one buffer: creating it, or binding it as a storage buffer. */
export type BufferLimitName = 'maxBufferSize' | 'maxStorageBufferBindingSize';

/** The largest single buffer a kernel can use on a device, and which of its limits sets it. */
export function bufferLimit(limits: DeviceLimits): { name: BufferLimitName; bytes: number } {
  return limits.maxStorageBufferBindingSize < limits.maxBufferSize
    ? { name: 'maxStorageBufferBindingSize', bytes: limits.maxStorageBufferBindingSize }
    : { name: 'maxBufferSize', bytes: limits.maxBufferSize };
}

/**
 * WebGPU's guaranteed defaults (every adapter grants at least these): the graphs Headroom builds
 * must run within them, and the planner assumes them unless told the device's own.
 */
export const WEBGPU_DEFAULT_LIMITS = {
  maxBufferSize: 256 * 2 ** 20,
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  /** Storage buffers one kernel may bind (its GPU-read inputs and its outputs). */
  maxStorageBuffersPerShaderStage: 8,
} as const satisfies DeviceLimits & Record<string, number>;

/**
 * What stops the max batch from growing: the memory budget, or one buffer over the device's
 * buffer limits (`maxBufferSize` names both maxBufferSize and maxStorageBufferBindingSize).
 */
export const MAX_BATCH_LIMITS = ['budget', 'maxBufferSize'] as const;
export type MaxBatchLimit = (typeof MAX_BATCH_LIMITS)[number];

/** The largest batch Headroom plans or searches (the max-batch search ends there). */
export const MAX_BATCH = 2 ** 20;

/** Query rows per chunk of the `chunked` strategy, unless the user picks another. */
export const DEFAULT_CHUNK = 64;

/**
 * How the loss is computed: `standard` builds the LM head's B·T·V logits and one cross-entropy
 * over them; `chunked` computes head and cross-entropy over chunks of sequence positions, so the
 * logits exist for one chunk at a time, forward and backward (fused linear cross-entropy).
 */
export const LOSS_STRATEGIES = ['standard', 'chunked'] as const;
export type LossStrategy = (typeof LOSS_STRATEGIES)[number];
export const DEFAULT_LOSS_STRATEGY: LossStrategy = 'standard';
/**
 * Sequence positions per chunk of the `chunked` loss, unless the user picks another: 128 keeps
 * gpt2-small's per-chunk logits at 1/8 of the whole (24.5 MiB per sample in f32) in 8 chunks.
 */
export const DEFAULT_LOSS_CHUNK = 128;

/** The strategy and retention the CLI uses when none is given: PyTorch's eager autograd. */
export const DEFAULT_STRATEGY: StrategyName = 'view';
export const DEFAULT_RETENTION: RetentionName = 'minimal';

/** Gradient outputs are named `grad/<tensor>`. */
const GRAD_PREFIX = 'grad/';
export const gradName = (tensor: string): string => `${GRAD_PREFIX}${tensor}`;
export const isGradName = (tensor: string): boolean => tensor.startsWith(GRAD_PREFIX);

/**
 * A persistent tensor's value after the step (an updated parameter, optimizer state or
 * accumulated gradient): ONNX has no in-place update, so it is a new graph output `next/<name>`.
 */
export const nextName = (tensor: string): string => `next/${tensor}`;

/** Optimizer state of a parameter, as PyTorch's optimizers name it: `exp_avg/<param>`, ... */
export const OPTIMIZER_STATES = ['momentum_buffer', 'exp_avg', 'exp_avg_sq'] as const;
export type OptimizerStateName = (typeof OPTIMIZER_STATES)[number];
export const optimizerStateName = (state: OptimizerStateName, param: string): string => `${state}/${param}`;
/** AdamW's step number (its bias correction needs it), fed to the step: a graph input. */
export const OPTIMIZER_STEP = 'optimizer/step';
/** The gradients of the earlier micro-batches of a step, summed (gradient accumulation). */
export const accumulatedGradName = (param: string): string => `${gradName(param)}/accumulated`;

/** Nodes of an attention block carry this scope segment (e.g. `block3/attention/scores`). */
const ATTENTION_SCOPE = 'attention';
export const isAttentionScope = (scope: string): boolean => scope.split('/').includes(ATTENTION_SCOPE);
