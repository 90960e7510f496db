/**
 * What the fit advisor is asked and what it answers: plain data (structured-clone safe), so the
 * page's plan worker can answer it as it answers curves.
 */
import type { ModelConfig } from '../models/spec';
import type {
  Allocator,
  BufferLimitName,
  DeviceLimits,
  LossStrategy,
  OptimizerName,
  RetentionName,
  StrategyName,
  TrainingDType,
} from '../vocabulary';

/**
 * One way to train at the effective batch: a strategy × retention, a dtype, and the effective
 * batch E run as `microBatches` (k) micro-batches of `microBatch` (b) examples, k·b = E.
 */
export interface Setup {
  strategy: StrategyName;
  retention: RetentionName;
  dtype: TrainingDType;
  microBatch: number;
  microBatches: number;
}

/** A device's speed for the roofline (fit/cost.ts); every field overridable. */
export interface DeviceSpeed {
  /** Arithmetic rate, FLOP/s, of f32 and of f16 kernels. */
  f32FlopsPerSecond: number;
  f16FlopsPerSecond: number;
  /** Memory bandwidth, bytes/s. */
  bytesPerSecond: number;
  /** Fixed cost of one kernel dispatch, seconds. */
  dispatchSeconds: number;
}

/** Measured GPU time per node, from a report (fit/calibrate.ts, measuredTimesOf). */
export interface MeasuredTimes {
  model: ModelConfig;
  dtype: TrainingDType;
  optimizer: OptimizerName;
  microBatches: number;
  loss: LossStrategy;
  lossChunk: number;
  chunk: number;
  points: MeasuredPoint[];
}

export interface MeasuredPoint {
  strategy: StrategyName;
  retention: RetentionName;
  batch: number;
  /** Nodes with a measured GPU time (ms). */
  ops: { node: string; opType: string; gpuMs: number }[];
}

export interface FitRequest {
  model: ModelConfig;
  /** Query rows per chunk of the `chunked` strategy. */
  chunk: number;
  /** How the loss is computed (every setup): `standard` or `chunked` (default `standard`). */
  loss?: LossStrategy;
  /** Sequence positions per chunk of the `chunked` loss (default DEFAULT_LOSS_CHUNK). */
  lossChunk?: number;
  /** GPU memory budget, bytes. */
  budgetBytes: number;
  /** The effective batch E: every micro-batch b that divides it is tried. */
  effectiveBatch: number;
  optimizer: OptimizerName;
  /** Dtypes to try (default f32 and mixed). */
  dtypes: TrainingDType[];
  allocator: Allocator;
  /** The buffer limits a single tensor must meet. */
  limits: DeviceLimits;
  /** Strategies and retentions to try (default: all). */
  strategies?: StrategyName[];
  retentions?: RetentionName[];
  /** Overrides of the default device speed (fit/cost.ts DEFAULT_DEVICE_SPEED). */
  device?: Partial<DeviceSpeed>;
  /** Measured GPU times that calibrate the estimate (a report with measured points). */
  measured?: MeasuredTimes | null;
}

/** Where a step's expected time comes from. */
export type TimeSource = 'measured' | 'partly measured' | 'estimated';

export interface StepTime {
  /** Expected time of one training step at the effective batch (k micro-steps and the update), ms. */
  ms: number;
  /** The part taken from measured GPU times of the same nodes (scaled to the micro-batch), ms. */
  measuredMs: number;
  /** The part estimated from FLOPs and bytes moved (calibrated when a report was given), ms. */
  estimatedMs: number;
  source: TimeSource;
  /** FLOPs and bytes moved in the whole step (k micro-steps and the update). */
  flops: number;
  bytesMoved: number;
}

/** What one setup's plan says at its micro-batch (what ranking needs; fakes in tests). */
export interface SetupEvaluation {
  /** Planned peak live bytes of the step. */
  peakBytes: number;
  /** Its largest single buffer. */
  largestBuffer: { tensor: string; bytes: number };
  time: StepTime;
}

/** A single tensor over the device's buffer limit. */
export interface OverLimit {
  tensor: string;
  bytes: number;
  limit: BufferLimitName;
  limitBytes: number;
}

/** What stops the next larger micro-batch (the next divisor of E above b). */
export interface NextMicroBatch {
  microBatch: number;
  peakBytes: number;
  /** null: the next micro-batch fits too. */
  binds: 'budget' | 'buffer-limit' | null;
  overLimit: OverLimit | null;
}

export interface FitSetup extends Setup {
  fits: boolean;
  peakBytes: number;
  /** budget − peak (negative when over the budget). */
  headroomBytes: number;
  largestBuffer: { tensor: string; bytes: number };
  /** Why it does not fit: over the budget, and/or a tensor over a buffer limit. */
  overBudget: boolean;
  overLimit: OverLimit | null;
  /** What binds the next larger micro-batch; null when b is already the whole effective batch. */
  next: NextMicroBatch | null;
  time: StepTime;
  /** What differs from the port (copy/tape, f32, the whole batch at once), e.g. ['retention minimal']. */
  changes: string[];
}

/** One of the seed story's suspects, as bytes at the effective batch. */
export interface Suspect {
  name: 'copying permutes' | 'tape' | 'score tensors' | 'pool';
  /** What is compared, e.g. "copy/tape → view/tape" or "reserved (bucket) − live". */
  compared: string;
  bytes: number;
}

export interface Suspects {
  /** The port's form: copy/tape, f32, the whole effective batch at once, the request's optimizer. */
  port: Setup;
  /** The port's planned peak live bytes (exact sizes) and reserved bytes under the bucket allocator. */
  portLiveBytes: number;
  portReservedBytes: number;
  /** In the order of the chain port → PyTorch eager → flash attention, then the pool. */
  suspects: Suspect[];
}

export interface FitAnswer {
  effectiveBatch: number;
  budgetBytes: number;
  optimizer: OptimizerName;
  allocator: Allocator;
  device: DeviceSpeed;
  /** Setups that fit, fastest first. */
  fitting: FitSetup[];
  /** Setups that do not fit, smallest peak first. */
  notFitting: FitSetup[];
  /** The fitting setups with the fewest changes from the port, fastest first. */
  closest: FitSetup[];
  fastest: FitSetup | null;
  suspects: Suspects;
  /** The answer in plain sentences. */
  sentences: string[];
  /** Time spent planning and ranking, ms. */
  ms: number;
}
