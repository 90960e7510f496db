/**
 * A setup's expected step time: its k micro-steps, each the sum of its nodes' times (measured where
 * a report measured that node, else the calibrated roofline of cost.ts), plus the work the graph
 * does not hold yet (the optimizer update once a step, gradient accumulation once per micro-step
 * after the first; contract.ts).
 */
import type { PlanConfig } from '../explore/types';
import { measuredMs, type Calibration, type NodeTime } from './calibrate';
import type { PendingWork } from './contract';
import { atBatch, nodeSeconds, rooflineSeconds, type NodeCost } from './cost';
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
  costs: readonly NodeCost[],
  setup: Setup,
  config: PlanConfig,
  pending: PendingWork,
  speed: DeviceSpeed,
  calibration: Calibration,
): StepTime {
  const micro = microStepTime(
    costs,
    setup.microBatch,
    speed,
    calibration.nodeTimes(config, setup),
    calibration,
  );
  const k = setup.microBatches;
  const extra = [
    { work: pending.perStep, times: 1 },
    { work: pending.perAccumulation, times: k - 1 },
  ];
  let extraMs = 0;
  let extraFlops = 0;
  let extraBytes = 0;
  for (const { work, times } of extra) {
    extraMs += times * 1000 * rooflineSeconds(work, speed) * calibration.overallScale;
    extraFlops += times * work.flops;
    extraBytes += times * work.bytes;
  }
  const measured = k * micro.measuredMs;
  const estimated = k * micro.estimatedMs + extraMs;
  return {
    ms: measured + estimated,
    measuredMs: measured,
    estimatedMs: estimated,
    source: sourceOf(measured, estimated),
    flops: k * micro.flops + extraFlops,
    bytesMoved: k * micro.bytes + extraBytes,
  };
}
