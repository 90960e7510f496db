/**
 * Everything the fit advisor knows about issue 12's training-step options (optimizer, micro-batches,
 * the `mixed` dtype) before the planner has them, in one place (and their names in names.ts). Each
 * piece is marked `CONTRACT:`.
 *
 * The contract (engineer "train"): vocabulary.ts declares OPTIMIZERS / OptimizerName and
 * TRAINING_DTYPES / TrainingDType; BuildSpec and PlanConfig gain `optimizer` and `microBatches`
 * (k >= 1) and their dtype becomes a TrainingDType; a plan's peak at batch b is then the peak of a
 * training step at effective batch k·b run as k micro-batches, optimizer update and state included.
 * Until then the planner plans one micro-batch without an optimizer, and this module adds what it
 * leaves out: the optimizer's state, f32 master parameters of `mixed`, the gradient accumulator
 * of k > 1 (bytes, `pendingBytes`), and the optimizer update and accumulation (work, `pendingWork`).
 */
import type { Graph } from '../graph/graph';
import type { PlanConfig } from '../explore/types';
import type { ModelConfig } from '../models/spec';
import { bufferBytes, linearBytes } from '../plan/liveness';
import type { Setup } from './types';
import type { Allocator } from '../vocabulary';
import type { OptimizerName } from './names';

/** What a setup is planned under besides its combination: the model, the chunk, the allocator. */
export interface PlanBase {
  model: ModelConfig;
  chunk: number;
  allocator: Allocator;
}

/**
 * The PlanConfig of `setup`.
 * CONTRACT: once PlanConfig has them, pass `optimizer` and `microBatches: setup.microBatches`, and
 * `dtype: setup.dtype` as is; until then `mixed` is planned as `f16` (its activations and
 * gradients), and the rest is added by pendingBytes / pendingWork below.
 */
export function planConfigFor(base: PlanBase, setup: Setup, _optimizer: OptimizerName): PlanConfig {
  return {
    model: { ...base.model },
    chunk: base.chunk,
    dtype: setup.dtype === 'mixed' ? 'f16' : setup.dtype,
    allocator: base.allocator,
  };
}

/** Moments of state per parameter: SGD's momentum, AdamW's two moments. */
const MOMENTS: Readonly<Record<OptimizerName, number>> = { none: 0, sgd: 1, adamw: 2 };

/** Parameter tensors of `g`, each as the bytes of one f32 (or `dtype`) copy of it, per allocator rounding. */
function paramCopiesBytes(g: Graph, allocator: Allocator, dtype: 'f32' | 'f16'): number {
  let total = 0;
  for (const p of g.params) total += bufferBytes(linearBytes(g.info(p).shape, dtype), 1, allocator, true);
  return total;
}

/**
 * Bytes a step of `setup` holds that the planner does not plan yet, live through the whole step
 * (so they add to its peak, and to its reserved bytes): the optimizer state (one buffer per
 * parameter and moment, f32 under `mixed`, else the parameters' dtype); under `mixed` the f32
 * master parameters beside the planned f16 ones; with k > 1 micro-batches, the accumulated
 * gradients beside each micro-batch's own (f32 under `mixed`).
 * CONTRACT: once the planner includes optimizer state, master weights and accumulation, this
 * returns 0 (delete it and its call in advisor.ts).
 */
export function pendingBytes(g: Graph, setup: Setup, optimizer: OptimizerName, allocator: Allocator): number {
  const stateDtype = setup.dtype === 'f16' ? 'f16' : 'f32';
  const copy = paramCopiesBytes(g, allocator, stateDtype);
  const master = setup.dtype === 'mixed' ? copy : 0;
  const accumulator = setup.microBatches > 1 ? copy : 0;
  return MOMENTS[optimizer] * copy + master + accumulator;
}

/** Work of a step that is not in the planned graph: FLOPs and bytes moved, and kernel dispatches. */
export interface PendingWork {
  /** Once per step (the optimizer update). */
  perStep: { flops: number; bytes: number; dispatches: number };
  /** Once per micro-batch after the first (adding its gradients into the accumulator). */
  perAccumulation: { flops: number; bytes: number; dispatches: number };
}

/**
 * FLOPs per parameter of the update: SGD with momentum m = μm + g, p -= lr·m (4); AdamW's two
 * moments, bias corrections, square root, division and decay (about 12).
 */
const UPDATE_FLOPS: Readonly<Record<OptimizerName, number>> = { none: 0, sgd: 4, adamw: 12 };

/**
 * The optimizer update and gradient accumulation, which the planned graph does not contain yet:
 * elementwise over every parameter. The update reads parameter, gradient and each moment and
 * writes the parameter and each moment (plus the f16 compute copy under `mixed`); accumulation
 * reads the accumulator and the gradient and writes the accumulator. One dispatch per parameter
 * tensor each.
 * CONTRACT: once the graph holds these nodes, the cost model counts them; delete this (and its
 * use in advisor.ts), minding whether the graph's update runs once per step or per micro-batch.
 */
export function pendingWork(g: Graph, setup: Setup, optimizer: OptimizerName): PendingWork {
  let params = 0;
  for (const p of g.params) params += linearBytes(g.info(p).shape, 'f32').fixed / 4;
  const tensors = g.params.length;
  const stateBytes = setup.dtype === 'f16' ? 2 : 4;
  const gradBytes = setup.dtype === 'f32' ? 4 : 2;
  const moments = MOMENTS[optimizer];
  const update =
    optimizer === 'none'
      ? { flops: 0, bytes: 0, dispatches: 0 }
      : {
          flops: UPDATE_FLOPS[optimizer] * params,
          bytes: params * (gradBytes + stateBytes * (2 + 2 * moments) + (setup.dtype === 'mixed' ? 2 : 0)),
          dispatches: tensors,
        };
  const accumulate = {
    flops: params,
    bytes: params * (gradBytes + 2 * stateBytes),
    dispatches: tensors,
  };
  return { perStep: update, perAccumulation: accumulate };
}
