/**
 * What the planner's liveness (liveness.ts) is made of: sizes symbolic in the batch, buffers,
 * steps, and the flat table the per-plan passes read.
 */
import type { Graph } from '../graph/graph';
import { dtypeBytes } from '../graph/shape';
import type { DType, FloatDType, Phase, Shape } from '../graph/types';
import { bufferSizeFor } from '../ort/bufferManager';
import type { Allocator, Category } from '../vocabulary';
import type { Schedule, ScheduledNode } from './order';

/** A size in bytes as a function of the batch: perBatch·B + fixed. */
export interface LinearBytes {
  perBatch: number;
  fixed: number;
}

/**
 * The bytes of a `shape` tensor in `dtype` as one number, without an object: minus its bytes per
 * batch when it mentions the batch, else its bytes (linearBytes(shape, dtype) as a key).
 */
export function signedBytes(shape: Shape, dtype: DType): number {
  let rest = dtypeBytes(dtype);
  let batchDims = 0;
  for (const d of shape) {
    if (d === 'B') batchDims++;
    else rest *= d;
  }
  if (batchDims > 1) throw new Error(`shape [${shape.join(', ')}] mentions the batch more than once`);
  return batchDims ? -rest : rest;
}

/** The LinearBytes of a signedBytes value. */
export const fromSigned = (k: number): LinearBytes =>
  k < 0 ? { perBatch: -k, fixed: 0 } : { perBatch: 0, fixed: Math.abs(k) };

export function linearBytes(shape: Shape, dtype: DType): LinearBytes {
  return fromSigned(signedBytes(shape, dtype));
}

export const exactBytes = (b: LinearBytes, batch: number): number => b.perBatch * batch + b.fixed;

/**
 * The size of the GPU buffer holding `b` bytes: 'lazy' rounds to 16 bytes (lazyRelease), 'bucket'
 * to onnxruntime's bucket table. Resident buffers (initializers) are never bucketed.
 */
export function bufferBytes(b: LinearBytes, batch: number, allocator: Allocator, resident = false): number {
  return bufferSizeFor(exactBytes(b, batch), allocator === 'bucket' && !resident ? 'bucket' : 'lazyRelease');
}

/** One GPU buffer of the step. */
export interface PlannedBuffer {
  id: number;
  /** The tensor that owns the buffer (for a scratch buffer, a display name: `<node>#<label>`). */
  tensor: string;
  /** A kernel's scratch buffer: not a graph tensor, never reused by the allocation planner. */
  scratch: boolean;
  /** Outputs of alias ops that share it. */
  aliases: string[];
  shape: Shape;
  dtype: DType;
  bytes: LinearBytes;
  /** Uploaded at session creation (parameters, constants): live throughout, never bucketed. */
  resident: boolean;
  category: Category;
  /** Scope of the writer (of the first reader for parameters and constants). */
  scope: string;
  attention: boolean;
  /** The writing node, 'input' for graph inputs, 'initializer' for resident buffers. */
  producer: string;
  /** Step that allocates it; -1 for resident buffers. */
  first: number;
  /** Last step it is live in; `END` when it is kept to the end of the step. */
  last: number;
}

export const END = Number.POSITIVE_INFINITY;

export interface PlannedStep {
  /** Null for step 0, the pseudo-node "input". */
  node: ScheduledNode | null;
  name: string;
  opType: string;
  phase: Phase;
  scope: string;
  /** Buffers allocated by this step. */
  allocs: number[];
  /** Buffers freed after this step. */
  frees: number[];
}

export interface Liveness {
  graph: Graph;
  schedule: Schedule;
  /** Every buffer, by id (built from `table` when first asked for). */
  buffers: PlannedBuffer[];
  /** Step 0 ("input"), then one per scheduled node (built from `table` when first asked for). */
  steps: PlannedStep[];
  /** Resident buffers (live before step 0). */
  resident: number[];
  /** Tensor name -> buffer id, for every tensor that has a buffer (aliases included). */
  bufferOf: Map<string, number>;
  /** Float tensors sized as this dtype (the graph's own unless overridden). */
  dtypeOverride: FloatDType | null;
  /** The same buffers and steps as flat arrays, for the passes that run per plan (peak index, floor). */
  table: LivenessTable;
}

/**
 * The buffers and steps as flat arrays: a training graph has thousands of each, and the plans of
 * a sweep (or of a page's worker cache) need these few facts of each, not an object per buffer.
 */
export interface LivenessTable {
  /** Buffers. */
  count: number;
  /** The tensor that owns each buffer (PlannedBuffer.tensor). */
  tensor: readonly string[];
  bytes: readonly LinearBytes[];
  /** 1 for a resident buffer (live throughout). */
  resident: Uint8Array;
  /** 1 for a buffer in an attention scope. */
  attention: Uint8Array;
  /** Index of the buffer's category in CATEGORIES. */
  category: Uint8Array;
  /** Step that allocates it (-1 resident) and the last step it is live in (`END` kept to the end). */
  first: Int32Array;
  last: Float64Array;
  /** Per step, the buffers it allocates and frees (ascending): ids[start[k] .. start[k + 1]). */
  allocStart: Int32Array;
  allocIds: Int32Array;
  freeStart: Int32Array;
  freeIds: Int32Array;
  /** Name of each step (step 0: "input"). */
  stepName(step: number): string;
}

export interface LivenessOptions {
  schedule?: Schedule;
  /** Size float tensors as this dtype (plan an f16 step from an f32 graph without rebuilding). */
  dtype?: FloatDType;
}
