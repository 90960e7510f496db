/**
 * One point of a sweep, measured: build the attention layer's training step for a strategy,
 * serialise it at the point's batch, run it through a measured-step runtime and fill a report
 * Point. Never throws: a failure comes back as the point's error, so a sweep keeps going.
 */
import { type AttentionConfig, attentionLayerModel, validateAttentionConfig } from '../models/config';
import { type BuildSpec } from '../models/spec';
import {
  DEFAULT_CACHE_MODE,
  type CacheMode,
  DEFAULT_CHUNK,
  type DeviceLimits,
  type ErrorCode,
  type RetentionName as Retention,
  type StrategyName as Strategy,
} from '../vocabulary';
import type { Point } from '../report/schema';
import { unmeasuredPoint } from '../report/points';
import type { SweepPlanner } from './planner';
import { runSweep, type StepRuntime } from './sweep';

export interface PointRequest {
  config: AttentionConfig;
  strategy: Strategy;
  batch: number;
  /** Default `minimal`. */
  retention?: Retention;
  /** Query rows per chunk of the `chunked` strategy; default 64. */
  chunk?: number;
}

function failed(req: PointRequest, code: ErrorCode, message: string): Point {
  return unmeasuredPoint({ ...req, retention: req.retention ?? 'minimal' }, code, message);
}

export interface MeasurePointOptions {
  cacheMode?: CacheMode;
  /** The device's limits: a point whose largest tensor exceeds them is skipped, not run. */
  limits?: DeviceLimits;
  /** Fills each point's `predicted` and checks it against `limits` before running. */
  planner?: SweepPlanner;
}

/** One point of the page's sweep: the attention layer of `req` at its batch, as a one-point sweep. */
export async function measurePoint(
  req: PointRequest,
  runtime: StepRuntime,
  opts: MeasurePointOptions = {},
): Promise<Point> {
  const invalid = validateAttentionConfig(req.config, [req.batch]);
  if (invalid.length) return failed(req, 'invalid-config', invalid.map((e) => e.message).join('; '));
  const spec: BuildSpec = {
    model: attentionLayerModel(req.config),
    strategy: req.strategy,
    retention: req.retention ?? 'minimal',
    chunk: req.chunk ?? DEFAULT_CHUNK,
    dtype: 'f32',
  };
  const [point] = await runSweep([{ spec, batch: req.batch }], runtime, {
    cacheMode: opts.cacheMode ?? DEFAULT_CACHE_MODE,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.planner ? { plan: opts.planner.check } : {}),
  });
  return point!;
}
