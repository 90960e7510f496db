/**
 * One point of the page, measured: build the training step of a build spec (the whole GPT or the
 * attention-only stack), serialise it at the point's batch, run it through a measured-step
 * runtime and fill a report Point. Never throws: a failure comes back as the point's error, so a
 * sweep keeps going.
 */
import { validateSpec, type BuildSpec } from '../models/spec';
import {
  ALLOCATORS,
  CACHE_MODE,
  MAX_BATCH,
  type Allocator,
  type DeviceLimits,
  type ErrorCode,
} from '../vocabulary';
import type { Point } from '../report/schema';
import { unmeasuredPoint } from '../report/points';
import { f16Refusal } from './f16Support';
import type { SweepPlanner } from './planner';
import { runSweep, type StepRuntime } from './sweep';

export interface PointRequest {
  spec: BuildSpec;
  batch: number;
  /** onnxruntime-web's buffer cache the step runs with (and is planned for). */
  allocator: Allocator;
}

function failed(req: PointRequest, code: ErrorCode, message: string): Point {
  const { strategy, retention } = req.spec;
  // A batch that is not a positive whole number cannot be a report point's batch: record it as 1.
  const batch = Number.isInteger(req.batch) && req.batch >= 1 ? req.batch : 1;
  return unmeasuredPoint({ strategy, retention, batch }, code, message);
}

export interface MeasurePointOptions {
  /** The device's limits: a point whose largest tensor exceeds them is skipped, not run. */
  limits?: DeviceLimits;
  /** Fills each point's `predicted` and checks it against `limits` before running (made for req.allocator). */
  planner?: SweepPlanner;
  /** The device's features and name: an f16 or mixed step without `shader-f16` is refused, not run. */
  device?: { features: readonly string[]; adapter: string };
}

/** One point of the page: `req.spec`'s training step at its batch, as a one-point sweep. */
export async function measurePoint(
  req: PointRequest,
  runtime: StepRuntime,
  opts: MeasurePointOptions = {},
): Promise<Point> {
  const invalid = validateSpec(req.spec).map((e) => e.message);
  if (!Number.isInteger(req.batch) || req.batch < 1 || req.batch > MAX_BATCH)
    invalid.push(`batch must be a whole number between 1 and ${MAX_BATCH}, got ${req.batch}`);
  if (!(ALLOCATORS as readonly string[]).includes(req.allocator))
    invalid.push(`allocator must be one of ${ALLOCATORS.join(', ')}, got ${req.allocator}`);
  if (invalid.length) return failed(req, 'invalid-config', invalid.join('; '));
  const noF16 = opts.device && f16Refusal(req.spec.dtype, opts.device.features, opts.device.adapter);
  if (noF16) return failed(req, 'invalid-config', noF16);
  const [point] = await runSweep([{ spec: req.spec, batch: req.batch }], runtime, {
    cacheMode: CACHE_MODE[req.allocator],
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.planner ? { plan: opts.planner.check } : {}),
  });
  return point!;
}
