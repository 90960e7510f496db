/**
 * A stand-in for the plan worker pool, for unit tests and UI previews: curves, steps and
 * comparisons computed from a toy formula (peak = fixed + perBatch·B), answered at once or held
 * until the test releases them, so tests can answer out of order and check stale answers are
 * ignored. cancelQueued rejects every held request but the fit advisor's with a 'Superseded' error,
 * as the pool does; cancelFit the fit advisor's. The fit advisor's answer is the engine's ranking
 * and sentences over the toy peaks (fakeFit).
 */
import {
  comboKey,
  type Comparison,
  type Curve,
  type CurveRequest,
  type StepDetail,
  type StepRequest,
} from '../engine/explore/types';
import { closestToPort, enumerateSetups, fitSentences, portSetup, rankSetups } from '../engine/fit/index';
import { DEFAULT_DEVICE_SPEED } from '../engine/fit/index';
import type { FitAnswer, FitRequest, Setup } from '../engine/fit/types';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../engine/vocabulary';
import type { PlanApi } from '../worker/planApi';

export type Call =
  | { kind: 'curve'; req: CurveRequest }
  | { kind: 'step'; req: StepRequest }
  | { kind: 'compare'; req: [StepRequest, StepRequest] }
  | { kind: 'fit'; req: FitRequest };

interface Held {
  call: Call;
  resolve(): void;
  reject(err: Error): void;
}

export interface FakePlanOptions {
  /** Hold every request until release() (default: answer on the next microtask). */
  manual?: boolean;
  /** A message to reject a request with (as the pool does for a config it cannot build). */
  fail?: (call: Call) => string | null;
  /** cancelQueued drops nothing, as when every request had already started. */
  allStarted?: boolean;
}

export interface FakePlan extends PlanApi {
  calls: Call[];
  cancelled: number;
  /** cancelFit calls. */
  fitCancelled: number;
  disposed: number;
  /** Requests not answered yet (manual mode). */
  held: Held[];
  /** Answers the held requests `which` picks (default all), in order. */
  release(which?: (call: Call) => boolean): Promise<void>;
}

/** Bytes of a toy step: what a combo holds grows with the batch, tape and copy the most. */
export function fakePeak(req: StepRequest): number {
  const perBatch =
    req.config.model.seq *
    req.config.model.embd *
    4 *
    (req.combo.retention === 'tape' ? 3 : 1) *
    (req.combo.strategy === 'copy' ? 2 : 1);
  return 1_000_000 + perBatch * req.batch;
}

export function fakeCurve(req: CurveRequest): Curve {
  const peak = (batch: number) => fakePeak({ config: req.config, combo: req.combo, batch });
  let budgetMaxBatch = 0;
  while (budgetMaxBatch < 2 ** 20 && peak(budgetMaxBatch + 1) <= req.budgetBytes) budgetMaxBatch++;
  const points = [];
  for (let b = 1; b <= Math.max(req.minBatch, budgetMaxBatch + 1); b *= 2) {
    points.push({
      batch: b,
      peakBytes: peak(b),
      reservedBytes: req.reserved ? peak(b) * 1.25 : null,
      floorBytes: 1_000_000,
      largestBufferBytes: peak(b) / 4,
    });
  }
  return {
    combo: req.combo,
    points,
    reservedPoints: req.reserved ? points.length : 0,
    budgetMaxBatch,
    limitMaxBatch: 2 ** 20,
    limitTensor: null,
    maxBatch: budgetMaxBatch,
    binds: 'budget',
    planMs: 1,
  };
}

export function fakeStep(req: StepRequest): StepDetail {
  const peakBytes = fakePeak(req);
  return {
    combo: req.combo,
    batch: req.batch,
    peakBytes,
    peakStep: 1,
    peakNode: 'scores',
    floorBytes: 1_000_000,
    reservedPeakBytes: peakBytes,
    byCategory: {
      parameter: 1_000_000,
      constant: 0,
      input: 0,
      activation: peakBytes - 1_000_000,
      temporary: 0,
      'optimizer state': 0,
      gradient: 0,
      output: 0,
    },
    byScope: { attention: peakBytes - 1_000_000, other: 1_000_000 },
    timeline: [],
    atPeak: [],
  };
}

function fakeCompare(a: StepRequest, b: StepRequest): Comparison {
  const pa = fakePeak(a);
  const pb = fakePeak(b);
  return {
    a: { combo: a.combo, batch: a.batch, peakBytes: pa },
    b: { combo: b.combo, batch: b.batch, peakBytes: pb },
    rows: [],
    summary: `${comboKey(a.combo)} holds ${pa - pb} B more than ${comboKey(b.combo)}`,
  };
}

/**
 * The fit advisor over the toy peaks: a setup's peak is fakePeak at its micro-batch (mixed: 3/4 of
 * it), its time 1 ms a sample plus 1 ms a micro-step; ranked and worded by the engine's own code.
 */
export function fakeFit(req: FitRequest): FitAnswer {
  const config = {
    model: req.model,
    chunk: req.chunk,
    dtype: 'f32',
    optimizer: req.optimizer,
    microBatches: 1,
    allocator: req.allocator,
    loss: req.loss ?? 'standard',
    lossChunk: req.lossChunk ?? 128,
  } as const;
  const peakOf = (s: Setup) =>
    fakePeak({ config, combo: s, batch: s.microBatch }) * (s.dtype === 'mixed' ? 0.75 : 1);
  const setups = enumerateSetups(req.effectiveBatch, STRATEGY_NAMES, RETENTION_NAMES, req.dtypes);
  const { fitting, notFitting } = rankSetups(
    setups,
    (s) => {
      const ms = s.microBatch * s.microBatches + s.microBatches;
      return {
        peakBytes: peakOf(s),
        largestBuffer: { tensor: 'scores', bytes: peakOf(s) / 4 },
        time: { ms, measuredMs: 0, estimatedMs: ms, source: 'estimated', flops: 0, bytesMoved: 0 },
      };
    },
    { budgetBytes: req.budgetBytes, limits: req.limits },
  );
  const port = portSetup(req.effectiveBatch);
  const live = (strategy: Setup['strategy'], retention: Setup['retention']) =>
    peakOf({ ...port, strategy, retention });
  const suspects = {
    port,
    portLiveBytes: live('copy', 'tape'),
    portReservedBytes: live('copy', 'tape') * 1.25,
    suspects: [
      {
        name: 'copying permutes',
        compared: 'copy/tape → view/tape',
        bytes: live('copy', 'tape') - live('view', 'tape'),
      },
      {
        name: 'tape',
        compared: 'view/tape → view/minimal',
        bytes: live('view', 'tape') - live('view', 'minimal'),
      },
      { name: 'score tensors', compared: 'view/minimal → fused/minimal', bytes: 0 },
      {
        name: 'pool',
        compared: 'reserved under the bucket allocator − live',
        bytes: live('copy', 'tape') / 4,
      },
    ],
  } satisfies FitAnswer['suspects'];
  const closest = closestToPort(fitting);
  return {
    effectiveBatch: req.effectiveBatch,
    budgetBytes: req.budgetBytes,
    optimizer: req.optimizer,
    allocator: req.allocator,
    device: DEFAULT_DEVICE_SPEED,
    fitting,
    notFitting,
    closest,
    fastest: fitting[0] ?? null,
    suspects,
    sentences: fitSentences({ ...req, fitting, notFitting, closest, suspects }),
    ms: 1,
  };
}

function answer(call: Call): unknown {
  if (call.kind === 'curve') return fakeCurve(call.req);
  if (call.kind === 'step') return fakeStep(call.req);
  if (call.kind === 'fit') return fakeFit(call.req);
  return fakeCompare(...call.req);
}

const supersededError = () =>
  Object.assign(new Error('superseded by a newer request'), { name: 'Superseded' });

export function createFakePlan(options: FakePlanOptions = {}): FakePlan {
  const fake: FakePlan = {
    calls: [],
    cancelled: 0,
    disposed: 0,
    held: [],
    curves: (reqs) => reqs.map((req) => ask({ kind: 'curve', req }) as Promise<Curve>),
    warm: (req) => ask({ kind: 'curve', req }).then(() => undefined),
    step: (req) => ask({ kind: 'step', req }) as Promise<StepDetail>,
    compare: (a, b) => ask({ kind: 'compare', req: [a, b] }) as Promise<Comparison>,
    fit: (req) => ask({ kind: 'fit', req }) as Promise<FitAnswer>,
    cancelQueued() {
      fake.cancelled++;
      if (options.allStarted) return;
      dropHeld((c) => c.kind !== 'fit');
    },
    fitCancelled: 0,
    cancelFit() {
      fake.fitCancelled++;
      dropHeld((c) => c.kind === 'fit');
    },
    dispose() {
      fake.disposed++;
    },
    async release(which = () => true) {
      const now = fake.held.filter((h) => which(h.call));
      fake.held = fake.held.filter((h) => !now.includes(h));
      for (const h of now) h.resolve();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
  function dropHeld(which: (call: Call) => boolean): void {
    const dropped = fake.held.filter((h) => which(h.call));
    fake.held = fake.held.filter((h) => !dropped.includes(h));
    for (const h of dropped) h.reject(supersededError());
  }
  function ask(call: Call): Promise<unknown> {
    fake.calls.push(call);
    return new Promise((resolve, reject) => {
      const settle = () => {
        const message = options.fail?.(call);
        if (message) reject(new Error(message));
        else resolve(answer(call));
      };
      if (options.manual) fake.held.push({ call, resolve: settle, reject });
      else queueMicrotask(settle);
    });
  }
  return fake;
}
