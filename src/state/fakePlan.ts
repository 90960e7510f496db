/**
 * A stand-in for the plan worker pool, for unit tests and UI previews: curves, steps and
 * comparisons computed from a toy formula (peak = fixed + perBatch·B), answered at once or held
 * until the test releases them, so tests can answer out of order and check stale answers are
 * ignored. cancelQueued rejects every held request with a 'Superseded' error, as the pool does.
 */
import {
  comboKey,
  type Comparison,
  type Curve,
  type CurveRequest,
  type StepDetail,
  type StepRequest,
} from '../engine/explore/types';
import type { PlanApi } from '../worker/planApi';

export type Call =
  | { kind: 'curve'; req: CurveRequest }
  | { kind: 'step'; req: StepRequest }
  | { kind: 'compare'; req: [StepRequest, StepRequest] };

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

function answer(call: Call): unknown {
  if (call.kind === 'curve') return fakeCurve(call.req);
  if (call.kind === 'step') return fakeStep(call.req);
  return fakeCompare(...call.req);
}

export function createFakePlan(options: FakePlanOptions = {}): FakePlan {
  const fake: FakePlan = {
    calls: [],
    cancelled: 0,
    disposed: 0,
    held: [],
    curve: (req) => ask({ kind: 'curve', req }) as Promise<Curve>,
    warm: (req) => ask({ kind: 'curve', req }).then(() => undefined),
    step: (req) => ask({ kind: 'step', req }) as Promise<StepDetail>,
    compare: (a, b) => ask({ kind: 'compare', req: [a, b] }) as Promise<Comparison>,
    cancelQueued() {
      fake.cancelled++;
      if (options.allStarted) return;
      const held = fake.held.splice(0);
      for (const h of held)
        h.reject(Object.assign(new Error('superseded by a newer request'), { name: 'Superseded' }));
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
