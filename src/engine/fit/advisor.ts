/**
 * The fit advisor: for a model, a GPU budget, an effective batch and an optimizer, every setup
 * (strategy × retention × dtype × micro-batch) that fits, fastest first, with its headroom and what
 * binds the next larger micro-batch; the setups that do not fit and why; what each of the seed
 * story's suspects costs; and the answer in sentences. A pure function of plain data (the page's
 * plan worker can call it); plans come from a ComboPlanner, so its cache serves repeated questions.
 */
import { planKey } from '../explore/key';
import { ComboPlanner } from '../explore/planner';
import type { Combo, PlanConfig } from '../explore/types';
import { validateModelOptions } from '../models/spec';
import {
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  MAX_BATCH,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  type Allocator,
} from '../vocabulary';
import { calibrate, type Calibration } from './calibrate';
import { planConfigFor, type PlanBase } from './planConfig';
import { OPTIMIZERS, TRAINING_DTYPES } from '../vocabulary';
import { deviceSpeed, stepCost } from './cost';
import { closestToPort, enumerateSetups, portSetup, rankSetups, type SetupEvaluator } from './rank';
import { fitSentences } from './sentences';
import { priceSuspects } from './suspects';
import { stepTime } from './time';
import type { DeviceSpeed, FitAnswer, FitRequest, Setup, SetupEvaluation, Suspects } from './types';

/** Every problem with a request, worded for people; empty when it can be answered. */
export function validateFitRequest(req: FitRequest): string[] {
  const errors: string[] = [];
  const e = req.effectiveBatch;
  if (!Number.isInteger(e) || e < 1 || e > MAX_BATCH)
    errors.push(`the effective batch must be a whole number from 1 to ${MAX_BATCH}, got ${e}`);
  if (!(Number.isFinite(req.budgetBytes) && req.budgetBytes > 0))
    errors.push(`the budget must be a positive number of bytes, got ${req.budgetBytes}`);
  if (!(OPTIMIZERS as readonly string[]).includes(req.optimizer))
    errors.push(`the optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${req.optimizer}`);
  if (req.dtypes.length === 0) errors.push('at least one dtype must be tried');
  for (const d of req.dtypes)
    if (!(TRAINING_DTYPES as readonly string[]).includes(d))
      errors.push(`dtypes must be among ${TRAINING_DTYPES.join(', ')}, got ${d}`);
  if (req.strategies?.length === 0) errors.push('at least one strategy must be tried');
  if (req.retentions?.length === 0) errors.push('at least one retention must be tried');
  errors.push(...validateModelOptions(req).map((x) => x.message));
  return errors;
}

/** What every setup of `req` is planned under. */
function baseOf(req: FitRequest): PlanBase {
  return {
    model: req.model,
    chunk: req.chunk,
    allocator: req.allocator,
    loss: req.loss ?? DEFAULT_LOSS_STRATEGY,
    lossChunk: req.lossChunk ?? DEFAULT_LOSS_CHUNK,
  };
}

/** A setup's plan at its micro-batch: peak, largest buffer, time. */
function setupEvaluator(
  base: PlanBase,
  req: FitRequest,
  planner: ComboPlanner,
  speed: DeviceSpeed,
  calibration: Calibration,
): SetupEvaluator {
  return (setup) => {
    const config = planConfigFor(base, setup, req.optimizer);
    const { plan } = planner.plan(config, { strategy: setup.strategy, retention: setup.retention });
    const b = setup.microBatch;
    // With k > 1 the plan is the `apply` micro-step's, and microSteps holds the `accumulate` one.
    const accumulate = plan.microSteps[0];
    const micro = { apply: stepCost(plan), accumulate: accumulate ? stepCost(accumulate) : null };
    return {
      peakBytes: plan.peakBytes(b),
      largestBuffer: plan.largestBuffer(b),
      time: stepTime(micro, setup, config, speed, calibration),
    } satisfies SetupEvaluation;
  };
}

/** The suspects at the effective batch: the port's form and the chain's plans, exact sizes and bucket. */
function suspectsOf(req: FitRequest, planner: ComboPlanner): Suspects {
  const port = portSetup(req.effectiveBatch);
  const on = (allocator: Allocator): PlanBase => ({ ...baseOf(req), allocator });
  const planOf = (allocator: Allocator, combo: Combo) => {
    const config = planConfigFor(on(allocator), port, req.optimizer);
    return planner.plan(config, combo).plan;
  };
  return priceSuspects(port, {
    livePeak: (combo) => planOf('lazy', combo).peakBytes(port.microBatch),
    portReserved: () => planOf('bucket', port).reservedPeakBytes(port.microBatch),
  });
}

/**
 * Plans one question holds: 12 combinations × the dtypes tried × with and without accumulation
 * (every k > 1 shares one plan: explore/key.ts), plus the suspects' bucket plans.
 */
export const FIT_PLANNER_CAPACITY = 128;

/** Every setup `req` asks about: its strategies × retentions (all by default) × dtypes × micro-batches. */
function setupsOf(req: FitRequest): Setup[] {
  return enumerateSetups(
    req.effectiveBatch,
    req.strategies ?? STRATEGY_NAMES,
    req.retentions ?? RETENTION_NAMES,
    req.dtypes,
  );
}

/**
 * The plans of every setup of `req` (most of what answering it costs), in the order adviseFit asks
 * for them; none when it cannot be answered. A worker plans them first, one task at a time, so that
 * a stale question stops between two plans (the worker reads its messages there, and a worker
 * ended instead would run on for up to two seconds after terminate(), Chromium's delay for a busy
 * one). adviseFit then finds them in the planner's cache.
 */
export function fitPlanRequests(req: FitRequest): { config: PlanConfig; combo: Combo }[] {
  if (validateFitRequest(req).length) return [];
  const base = baseOf(req);
  // Setups of different micro-batch counts mostly share a plan (explore/key.ts): each plan once.
  const plans = new Map<string, { config: PlanConfig; combo: Combo }>();
  for (const setup of setupsOf(req)) {
    const config = planConfigFor(base, setup, req.optimizer);
    const combo = { strategy: setup.strategy, retention: setup.retention };
    const key = planKey(config, combo);
    if (!plans.has(key)) plans.set(key, { config, combo });
  }
  return [...plans.values()];
}

/** Answers `req`; throws the validation messages when it cannot. */
export function adviseFit(
  req: FitRequest,
  planner: ComboPlanner = new ComboPlanner(FIT_PLANNER_CAPACITY),
): FitAnswer {
  const start = performance.now();
  const errors = validateFitRequest(req);
  if (errors.length) throw new Error(errors.join('; '));
  const speed = deviceSpeed(req.device);
  const calibration = calibrate(req.measured, planner, speed);
  const base = baseOf(req);
  const setups = setupsOf(req);
  const evaluate = setupEvaluator(base, req, planner, speed, calibration);
  const { fitting, notFitting } = rankSetups(setups, evaluate, {
    budgetBytes: req.budgetBytes,
    limits: req.limits,
  });
  const closest = closestToPort(fitting);
  const suspects = suspectsOf(req, planner);
  return {
    effectiveBatch: req.effectiveBatch,
    budgetBytes: req.budgetBytes,
    optimizer: req.optimizer,
    allocator: req.allocator,
    device: speed,
    fitting,
    notFitting,
    closest,
    fastest: fitting[0] ?? null,
    suspects,
    sentences: fitSentences({ ...req, fitting, notFitting, closest, suspects }),
    ms: performance.now() - start,
  };
}
