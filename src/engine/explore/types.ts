/**
 * What the page asks of the planner, and what it gets back: planned curves of memory against
 * batch, one step op by op, and two steps compared node by node. Plain data (structured-clone
 * safe), so it crosses the plan worker's boundary as is.
 */
import type { ModelConfig } from '../models/spec';
import type { OpRecord, TensorRecord } from '../report/schema';
import type {
  Allocator,
  BufferLimitName,
  Category,
  DeviceLimits,
  OptimizerName,
  LossStrategy,
  Phase,
  RetentionName,
  StrategyName,
  TrainingDType,
} from '../vocabulary';

/** One way of writing the step: an attention strategy under a retention policy. */
export interface Combo {
  strategy: StrategyName;
  retention: RetentionName;
}

/** "copy/tape": how the page and the URL name a combination. */
export function comboKey(c: Combo): string {
  return `${c.strategy}/${c.retention}`;
}

/** Everything a plan depends on besides the combination and the batch. */
export interface PlanConfig {
  model: ModelConfig;
  /** Query rows per chunk of the `chunked` strategy. */
  chunk: number;
  dtype: TrainingDType;
  allocator: Allocator;
  optimizer: OptimizerName;
  /** k >= 1: the planned batch is one micro-batch; the effective batch is k times it. */
  microBatches: number;
  /** How the loss is computed (LOSS_STRATEGIES). */
  loss: LossStrategy;
  /** Sequence positions per chunk of the `chunked` loss. */
  lossChunk: number;
}

export interface CurveRequest {
  config: PlanConfig;
  combo: Combo;
  /** The GPU memory budget, bytes. */
  budgetBytes: number;
  /** The buffer limits a single tensor must meet (the adapter's when known, else WebGPU's defaults). */
  limits: DeviceLimits;
  /** The curve reaches at least this batch (e.g. the batch slider's value); it always goes past the budget. */
  minBatch: number;
  /** Also compute reserved bytes (the allocator's pool) at every sampled batch. */
  reserved: boolean;
}

export interface CurvePoint {
  batch: number;
  /** Planned peak live bytes. */
  peakBytes: number;
  /** Planned peak reserved bytes; null unless the request asked for reserved (at most 96 points have it). */
  reservedBytes: number | null;
  floorBytes: number | null;
  /** The largest single buffer (what the buffer limits bound). */
  largestBufferBytes: number;
}

/** Which constraint stops a larger batch first. */
export type Binding = 'budget' | 'buffer-limit';

export interface Curve {
  combo: Combo;
  /** Ascending batches from 1 to past the budget (every batch when few, else sampled). */
  points: CurvePoint[];
  /**
   * How many points carry reservedBytes: 0 unless the request asked for reserved, else at most
   * 64 up to where the curve would end for the smallest request and 32 after it (explore/curves.ts
   * MAX_RESERVED_POINTS, MAX_RESERVED_POINTS_PAST); the others' are null, never interpolated.
   */
  reservedPoints: number;
  /** The largest batch whose peak fits the budget, buffer limits ignored (0: not even batch 1). */
  budgetMaxBatch: number;
  /** The largest batch whose every buffer is within the limit, budget ignored. */
  limitMaxBatch: number;
  /** The tensor that first breaks the buffer limit, at limitMaxBatch + 1. */
  limitTensor: { tensor: string; bytes: number; limit: BufferLimitName; limitBytes: number } | null;
  /** min(budgetMaxBatch, limitMaxBatch), and which of the two binds. */
  maxBatch: number;
  binds: Binding;
  /** Time the worker spent (build + plan + curve), ms. */
  planMs: number;
}

export interface StepRequest {
  config: PlanConfig;
  combo: Combo;
  batch: number;
}

/** One node of the step (step 0 is the pseudo-node "input"), with the live bytes by category while it runs. */
export interface TimelineRow extends OpRecord {
  step: number;
  /** Live bytes during the step (allocations of the step included), per category in CATEGORIES order. */
  liveByCategory: number[];
  /** Sum of liveByCategory. */
  liveBytes: number;
}

/** A tensor (its buffer) live at the peak: what is holding the memory. */
export interface PeakTensor {
  tensor: string;
  producer: string;
  opType: string;
  scope: string;
  category: Category;
  shape: number[];
  dtype: string;
  bytes: number;
  /** The node that allocates it ('initializer' for parameters) and the last node it lives in ('end'). */
  from: string;
  until: string;
}

export interface StepDetail {
  combo: Combo;
  batch: number;
  peakBytes: number;
  peakStep: number;
  peakNode: string;
  floorBytes: number | null;
  reservedPeakBytes: number;
  byCategory: Record<Category, number>;
  byScope: { attention: number; other: number };
  /** Every node in execution order. */
  timeline: TimelineRow[];
  /** Largest first. */
  atPeak: PeakTensor[];
}

/** Bytes a node accounts for in one step. */
export interface NodeBytes {
  allocBytes: number;
  /** Bytes of the node's outputs still live at that step's peak. */
  heldAtPeak: number;
}

export interface CompareRow {
  node: string;
  opType: string;
  scope: string;
  phase: Phase;
  /** null: the node is not in that step. */
  a: NodeBytes | null;
  b: NodeBytes | null;
}

export interface Comparison {
  a: { combo: Combo; batch: number; peakBytes: number };
  b: { combo: Combo; batch: number; peakBytes: number };
  /** Nodes of both steps aligned by name, in a's order, b's own nodes after their predecessor. */
  rows: CompareRow[];
  /**
   * One line, e.g. "copy/tape holds 1.2 GiB more than view/minimal at the peak of batch 64;
   * 14 Transposes allocate 2.1 GiB".
   */
  summary: string;
}

export type { TensorRecord };
