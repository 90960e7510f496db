/**
 * Measured GPU times in the estimate. A report's measured points give each node's GPU time at a
 * batch; for a setup of the same model, strategy, retention and dtype the advisor takes those
 * times (scaled from the measured batch to the micro-batch by the cost model's ratio), and for
 * every other node the roofline estimate times the ratio measured / estimated of that op type over
 * all measured nodes (of any model: it calibrates the device), else of all op types together.
 */
import type { ComboPlanner } from '../explore/planner';
import type { PlanConfig } from '../explore/types';
import { graphKey } from '../explore/key';
import type { ModelConfig } from '../models/spec';
import { modelOfReport } from '../explore/modelOfReport';
import type { Report } from '../report/report';
import { nodeSeconds, stepCost, type NodeCost } from './cost';
import type { DeviceSpeed, MeasuredTimes, Setup } from './types';

/** The measured GPU times of a report: its model as the engine builds it, and each node's time per point. */
export function measuredTimesOf(report: Report, base: ModelConfig): MeasuredTimes {
  const model = modelOfReport(report, base);

  const points = report.points.flatMap((p) => {
    const ops = (p.measured?.ops ?? []).flatMap((o) =>
      o.gpuMs === null ? [] : [{ node: o.node, opType: o.opType, gpuMs: o.gpuMs }],
    );
    return ops.length ? [{ strategy: p.strategy, retention: p.retention, batch: p.batch, ops }] : [];
  });
  return {
    model,
    dtype: report.dtype,
    optimizer: report.optimizer,
    microBatches: report.microBatches,
    loss: report.loss,
    lossChunk: report.lossChunk,
    chunk: report.chunk,
    points,
  };
}

/** One node's measured time, at the batch it was measured at. */
export interface NodeTime {
  batch: number;
  ms: number;
  /** The cost model's estimate at that batch, ms (scales the time to another batch). */
  estimatedMs: number;
}

/** What calibrates a setup's step time. */
export interface Calibration {
  /** Measured times of the setup's nodes by node name, or null when none was measured. */
  nodeTimes(config: PlanConfig, setup: Setup): ReadonlyMap<string, NodeTime[]> | null;
  /** Measured / estimated for nodes of `opType` (1 without measurements). */
  scale(opType: string): number;
  /** Measured / estimated over every measured node (1 without measurements). */
  overallScale: number;
  /** Measured nodes the calibration rests on. */
  nodes: number;
}

export const UNCALIBRATED: Calibration = {
  nodeTimes: () => null,
  scale: () => 1,
  overallScale: 1,
  nodes: 0,
};

/** The config a measured report's points were planned under. */
function measuredConfig(m: MeasuredTimes): PlanConfig {
  const { model, chunk, dtype, optimizer, microBatches, loss, lossChunk } = m;
  return { model, chunk, dtype, allocator: 'lazy', optimizer, microBatches, loss, lossChunk };
}

/**
 * The calibration of `measured` on `speed`: each measured point's graph is planned (through
 * `planner`, so the setups asked for next reuse it) to pair every measured node with its estimate.
 */
export function calibrate(
  measured: MeasuredTimes | null | undefined,
  planner: ComboPlanner,
  speed: DeviceSpeed,
): Calibration {
  if (!measured || measured.points.length === 0) return UNCALIBRATED;
  const config = measuredConfig(measured);
  const byGraph = new Map<string, Map<string, NodeTime[]>>();
  const sums = new Map<string, { measured: number; estimated: number }>();
  const total = { measured: 0, estimated: 0 };
  let nodes = 0;
  for (const p of measured.points) {
    const combo = { strategy: p.strategy, retention: p.retention };
    const costs = new Map<string, NodeCost>(
      stepCost(planner.plan(config, combo).plan).map((c) => [c.node, c]),
    );
    const key = graphKey(config, combo);
    const times = byGraph.get(key) ?? new Map<string, NodeTime[]>();
    byGraph.set(key, times);
    for (const op of p.ops) {
      const cost = costs.get(op.node);
      if (!cost) continue;
      const estimatedMs = 1000 * nodeSeconds(cost, p.batch, speed);
      const list = times.get(op.node) ?? [];
      list.push({ batch: p.batch, ms: op.gpuMs, estimatedMs });
      times.set(op.node, list);
      const s = sums.get(cost.opType) ?? { measured: 0, estimated: 0 };
      s.measured += op.gpuMs;
      s.estimated += estimatedMs;
      sums.set(cost.opType, s);
      total.measured += op.gpuMs;
      total.estimated += estimatedMs;
      nodes++;
    }
  }
  const overallScale = total.estimated > 0 && total.measured > 0 ? total.measured / total.estimated : 1;
  return {
    nodeTimes: (c, setup) =>
      c.dtype === setup.dtype && sameConfig(c, config)
        ? (byGraph.get(graphKey(c, { strategy: setup.strategy, retention: setup.retention })) ?? null)
        : null,
    scale: (opType) => {
      const s = sums.get(opType);
      return s && s.estimated > 0 && s.measured > 0 ? s.measured / s.estimated : overallScale;
    },
    overallScale,
    nodes,
  };
}

/** Whether `a` builds the same graphs as `b` (allocator aside). */
function sameConfig(a: PlanConfig, b: PlanConfig): boolean {
  const combo = { strategy: 'chunked', retention: 'minimal' } as const;
  return graphKey(a, combo) === graphKey(b, combo);
}

/** The measured time of a node at `batch`: the measurement at the nearest batch, scaled by the estimate. */
export function measuredMs(times: readonly NodeTime[], batch: number, estimatedMs: number): number {
  let best = times[0]!;
  for (const t of times) if (Math.abs(t.batch - batch) < Math.abs(best.batch - batch)) best = t;
  return best.estimatedMs > 0 ? (best.ms * estimatedMs) / best.estimatedMs : best.ms;
}
