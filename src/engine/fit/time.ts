/**
 * A setup's expected step time: its k micro-steps, each the sum of its nodes' times (measured where
 * a report measured that node, else the calibrated roofline of cost.ts): k − 1 `accumulate`
 * micro-steps (forward, backward, gradients added into the accumulator) and the `apply` one (the
 * same, then the optimizer's update).
 */
import type { PlanConfig } from '../explore/types';
import { measuredMs, type Calibration, type NodeTime } from './calibrate';
import { atBatch, nodeSeconds, type NodeCost } from './cost';
import type { DeviceSpeed, Setup, StepTime, TimeSource } from './types';

/** One micro-step's time (ms, split by origin) and work at `batch`. */
export function microStepTime(
  costs: readonly NodeCost[],
  batch: number,
  speed: DeviceSpeed,
  measured: ReadonlyMap<string, readonly NodeTime[]> | null,
  calibration: Calibration,
): { measuredMs: number; estimatedMs: number; flops: number; bytes: number } {
  let measuredTotal = 0;
  let estimatedTotal = 0;
  let flops = 0;
  let bytes = 0;
  for (const c of costs) {
    const estimate = 1000 * nodeSeconds(c, batch, speed);
    const times = measured?.get(c.node);
    if (times?.length) measuredTotal += measuredMs(times, batch, estimate);
    else estimatedTotal += estimate * calibration.scale(c.opType);
    flops += atBatch(c.flops, batch);
    bytes += atBatch(c.bytes, batch);
  }
  return { measuredMs: measuredTotal, estimatedMs: estimatedTotal, flops, bytes };
}

function sourceOf(measured: number, estimated: number): TimeSource {
  if (measured > 0 && estimated === 0) return 'measured';
  return measured > 0 ? 'partly measured' : 'estimated';
}

/** The expected time of a whole training step of `setup` at its effective batch. */
export function stepTime(
  micro: { apply: readonly NodeCost[]; accumulate: readonly NodeCost[] | null },
  setup: Setup,
  config: PlanConfig,
  speed: DeviceSpeed,
  calibration: Calibration,
): StepTime {
  const nodeTimes = calibration.nodeTimes(config, setup);
  const time = (costs: readonly NodeCost[]) =>
    microStepTime(costs, setup.microBatch, speed, nodeTimes, calibration);
  const k = setup.microBatches;
  const steps = [{ t: time(micro.apply), times: 1 }];
  if (k > 1) steps.push({ t: time(micro.accumulate ?? micro.apply), times: k - 1 });
  const sum = (f: (t: ReturnType<typeof time>) => number) =>
    steps.reduce((total, s) => total + s.times * f(s.t), 0);
  const measured = sum((t) => t.measuredMs);
  const estimated = sum((t) => t.estimatedMs);
  return {
    ms: measured + estimated,
    measuredMs: measured,
    estimatedMs: estimated,
    source: sourceOf(measured, estimated),
    flops: sum((t) => t.flops),
    bytesMoved: sum((t) => t.bytes),
  };
}
