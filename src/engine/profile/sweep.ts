/**
 * A sweep: measure a list of (spec, batch) points one after another, with progress and
 * cancellation. Each point is checked against the device's limits and the budget first (from its
 * plan) and skipped with the reason recorded; a failure (out of memory, validation error, device
 * loss) is recorded on its point, a fresh device is started, and the sweep goes on. Completed
 * points are never lost: every point comes back, measured, skipped or failed.
 */
import { validateSpec, type BuildSpec } from '../models/spec';
import { describeBytes } from '../report/bytes';
import type { Point, PointError } from '../report/schema';
import type { MeasureResult } from '../runtime/types';
import {
  bufferLimit,
  DEFAULT_CACHE_MODE,
  isErrorCode,
  type CacheMode,
  type DeviceLimits,
  type ErrorCode,
} from '../vocabulary';
import { microStepsOf } from '../models/microStep';
import { stepRequest } from './stepRequest';

export interface SweepPoint {
  spec: BuildSpec;
  batch: number;
}

/** What a sweep needs from a measuring runtime (in-process, or a worker behind RPC). */
export interface StepRuntime {
  measureStep(req: ReturnType<typeof stepRequest>['request']): Promise<MeasureResult>;
  /** Drops the current device; the next step starts on a fresh one. */
  resetDevice(): Promise<void> | void;
}

/** The parts of a point's plan a sweep checks before running it. */
export interface PlanCheck {
  predicted: Point['predicted'];
  peakBytes: number;
  largestTensorBytes: number;
}

export interface SweepProgress {
  index: number;
  total: number;
  point: SweepPoint;
  /** `start` before a point runs; then how it ended. */
  status: 'start' | 'measured' | 'skipped' | 'failed';
  result?: Point;
}

export interface SweepOptions {
  cacheMode?: CacheMode;
  /**
   * Steps per point (memory is the same every time): firstStepMs is the first, which compiles the
   * session's shaders; stepMs the median of the others (the first where only one ran).
   */
  repeat?: number;
  budgetBytes?: number;
  limits?: DeviceLimits;
  /** The point's plan, when a planner is available. */
  plan?: (point: SweepPoint, cacheMode: CacheMode) => PlanCheck;
  onProgress?: (p: SweepProgress) => void;
  signal?: AbortSignal;
}

function pointOf(
  p: SweepPoint,
  predicted: Point['predicted'],
  measured: Point['measured'],
  error: PointError | null,
): Point {
  return {
    strategy: p.spec.strategy,
    retention: p.spec.retention,
    batch: p.batch,
    predicted,
    measured,
    error,
  };
}

/** A stable code for a failed step, from the runtime's error. */
export function classifyFailure(e: unknown): PointError {
  const text = e instanceof Error ? e.message : String(e);
  const runtimeCode = (e as { code?: unknown }).code;
  const code = failureCode(text, runtimeCode);
  // MeasureError's message starts with its stage ("run: ..."): dropped when the point's code says
  // it already, kept when the message reclassified it ("session: Failed to create GPU buffer").
  return { code, message: text.startsWith(`${code}: `) ? text.slice(code.length + 2) : text };
}

function failureCode(message: string, runtimeCode: unknown): ErrorCode {
  if (/out of memory|OutOfMemory|allocation failed|Failed to create GPU buffer/i.test(message)) return 'oom';
  if (
    /device (was )?lost|destroyed device|Device is lost|DeviceLost/i.test(message) ||
    runtimeCode === 'device-lost'
  )
    return 'device-lost';
  if (/validation/i.test(message)) return 'validation';
  return isErrorCode(runtimeCode) ? runtimeCode : 'run';
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The reason a point must not run, from its plan, or null. */
function skipReason(check: PlanCheck, opts: SweepOptions): PointError | null {
  const { limits, budgetBytes } = opts;
  if (limits) {
    const { name, bytes: limit } = bufferLimit(limits);
    if (check.largestTensorBytes > limit) {
      return {
        code: 'over-limit',
        message: `largest tensor ${describeBytes(check.largestTensorBytes)} exceeds the device's ${name} ${describeBytes(limit)}`,
      };
    }
  }
  if (budgetBytes !== undefined && check.peakBytes > budgetBytes) {
    return {
      code: 'over-budget',
      message: `planned peak ${describeBytes(check.peakBytes)} exceeds the budget ${describeBytes(budgetBytes)}`,
    };
  }
  return null;
}

/** Runs one micro-step of a point `repeat` times: its first run and its median step time. */
async function measureMicroStep(
  point: SweepPoint,
  runtime: StepRuntime,
  opts: SweepOptions,
  microStep: Parameters<typeof stepRequest>[4],
): Promise<{ r: MeasureResult; stepMs: number; firstStepMs: number }> {
  const { request } = stepRequest(
    point.spec,
    point.batch,
    opts.cacheMode ?? DEFAULT_CACHE_MODE,
    2,
    microStep,
  );
  const runs: MeasureResult[] = [];
  for (let i = 0; i < Math.max(1, opts.repeat ?? 1); i++) runs.push(await runtime.measureStep(request));
  // The first step compiles the session's shaders: kept apart from the median of the others.
  const steady = runs.length > 1 ? runs.slice(1) : runs;
  return { r: runs[0]!, stepMs: median(steady.map((x) => x.stepMs)), firstStepMs: runs[0]!.stepMs };
}

/**
 * Measures a point: its one step or, with k > 1 micro-batches, one `accumulate` and one `apply`
 * micro-step. The measurement is the micro-step with the higher peak live bytes (its ops), the
 * higher reserved peak, the step time of the whole step ((k − 1) accumulate + 1 apply) and the
 * last micro-batch's loss.
 */
async function measurePoint(
  point: SweepPoint,
  runtime: StepRuntime,
  opts: SweepOptions,
): Promise<Point['measured']> {
  const k = point.spec.microBatches;
  const steps = [];
  for (const m of microStepsOf(k)) steps.push({ m, ...(await measureMicroStep(point, runtime, opts, m)) });
  const last = steps.at(-1)!;
  const loss = last.r.outputs['loss']?.[0];
  if (loss === undefined || !Number.isFinite(loss))
    throw new Error(`the step returned no finite loss (${loss})`);
  const top = steps.reduce((a, b) => (b.r.peakLiveBytes > a.r.peakLiveBytes ? b : a));
  return {
    peakLiveBytes: top.r.peakLiveBytes,
    peakReservedBytes: Math.max(...steps.map((s) => s.r.peakReservedBytes)),
    unattributedBytes: top.r.unattributedBytes,
    nonTensorBytes: top.r.nonTensorBytes,
    stepMs: steps.reduce((t, s) => t + (s.m === 'accumulate' ? k - 1 : 1) * s.stepMs, 0),
    firstStepMs: steps.reduce((t, s) => t + s.firstStepMs, 0),
    loss,
    ops: top.r.ops,
  };
}

export async function runSweep(
  points: readonly SweepPoint[],
  runtime: StepRuntime,
  opts: SweepOptions = {},
): Promise<Point[]> {
  const results: Point[] = [];
  const total = points.length;
  for (const [index, point] of points.entries()) {
    const report = (status: SweepProgress['status'], result?: Point) =>
      opts.onProgress?.({ index, total, point, status, ...(result ? { result } : {}) });
    if (opts.signal?.aborted) {
      const result = pointOf(point, null, null, {
        code: 'cancelled',
        message: 'the sweep was cancelled before this point',
      });
      results.push(result);
      report('skipped', result);
      continue;
    }
    const invalid = validateSpec(point.spec);
    if (invalid.length || !Number.isInteger(point.batch) || point.batch < 1) {
      const message = [
        ...invalid.map((e) => e.message),
        ...(point.batch >= 1 ? [] : [`batch must be a positive integer`]),
      ];
      const result = pointOf(point, null, null, { code: 'invalid-config', message: message.join('; ') });
      results.push(result);
      report('skipped', result);
      continue;
    }
    report('start');
    let predicted: Point['predicted'] = null;
    try {
      const check = opts.plan?.(point, opts.cacheMode ?? DEFAULT_CACHE_MODE);
      predicted = check?.predicted ?? null;
      const skip = check ? skipReason(check, opts) : null;
      if (skip) {
        const result = pointOf(point, predicted, null, skip);
        results.push(result);
        report('skipped', result);
        continue;
      }
      const result = pointOf(point, predicted, await measurePoint(point, runtime, opts), null);
      results.push(result);
      report('measured', result);
    } catch (e) {
      const result = pointOf(point, predicted, null, classifyFailure(e));
      results.push(result);
      report('failed', result);
      await runtime.resetDevice();
    }
  }
  return results;
}
