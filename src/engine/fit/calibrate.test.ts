/** Measured GPU times in the step-time estimate: taken per node where measured, else a calibrated roofline. */
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../explore/planner';
import type { PlanConfig } from '../explore/types';
import { PRESETS } from '../models/spec';
import { sweepReport } from '../testing/sweepReport';
import { calibrate, measuredTimesOf, UNCALIBRATED } from './calibrate';
import type { PendingWork } from './contract';
import { deviceSpeed, nodeSeconds, stepCost } from './cost';
import { stepTime } from './time';
import type { Setup } from './types';

const model = { ...PRESETS.tiny };
const report = sweepReport({
  model,
  preset: 'tiny',
  strategies: ['view'],
  retentions: ['minimal'],
  batches: [4],
  measured: true,
});
const measured = measuredTimesOf(report, model);
const planner = new ComboPlanner();
const speed = deviceSpeed();
const config: PlanConfig = { model, chunk: 64, dtype: 'f32', allocator: 'lazy' };
const NONE: PendingWork = {
  perStep: { flops: 0, bytes: 0, dispatches: 0 },
  perAccumulation: { flops: 0, bytes: 0, dispatches: 0 },
};
const setup = (s: Partial<Setup>): Setup => ({
  strategy: 'view',
  retention: 'minimal',
  dtype: 'f32',
  microBatch: 4,
  microBatches: 1,
  ...s,
});
const costsOf = (strategy: Setup['strategy']) =>
  stepCost(planner.plan(config, { strategy, retention: 'minimal' }).plan);

describe('calibration from measured GPU times', () => {
  const ops = measured.points[0]!.ops;
  const cal = calibrate(measured, planner, speed);
  const costs = new Map(costsOf('view').map((c) => [c.node, c]));
  const estimateMs = (node: string, batch: number) => 1000 * nodeSeconds(costs.get(node)!, batch, speed);

  it("reads a report's measured nodes and pairs each with its estimate", () => {
    expect(measured.model).toEqual(model);
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.every((o) => costs.has(o.node))).toBe(true);
    expect(cal.nodes).toBe(ops.length);
    const total = ops.reduce((s, o) => s + o.gpuMs, 0);
    const estimated = ops.reduce((s, o) => s + estimateMs(o.node, 4), 0);
    expect(cal.overallScale).toBeCloseTo(total / estimated, 12);
    const matmuls = ops.filter((o) => o.opType === 'MatMul');
    expect(cal.scale('MatMul')).toBeCloseTo(
      matmuls.reduce((s, o) => s + o.gpuMs, 0) / matmuls.reduce((s, o) => s + estimateMs(o.node, 4), 0),
      12,
    );
    expect(cal.scale('NoSuchOp')).toBe(cal.overallScale);
  });

  it('takes the measured times of the same setup, scaled to another micro-batch by the estimate', () => {
    const atFour = stepTime(costsOf('view'), setup({}), config, NONE, speed, cal);
    expect(atFour.measuredMs).toBeCloseTo(
      ops.reduce((s, o) => s + o.gpuMs, 0),
      12,
    );
    const unmeasured = costsOf('view').filter((c) => !ops.some((o) => o.node === c.node));
    expect(atFour.estimatedMs).toBeCloseTo(
      unmeasured.reduce((s, c) => s + 1000 * nodeSeconds(c, 4, speed) * cal.scale(c.opType), 0),
      12,
    );
    // Two micro-batches of 2: each measured node at 2/4's estimated ratio, twice.
    const two = stepTime(
      costsOf('view'),
      setup({ microBatch: 2, microBatches: 2 }),
      config,
      NONE,
      speed,
      cal,
    );
    expect(two.measuredMs).toBeCloseTo(
      2 * ops.reduce((s, o) => s + (o.gpuMs * estimateMs(o.node, 2)) / estimateMs(o.node, 4), 0),
      12,
    );
    expect(two.source).not.toBe('estimated');
  });

  it('scales the estimate of a setup nobody measured by its op types', () => {
    const copy = costsOf('copy');
    const t = stepTime(copy, setup({ strategy: 'copy' }), config, NONE, speed, cal);
    expect([t.measuredMs, t.source]).toEqual([0, 'estimated']);
    expect(t.estimatedMs).toBeCloseTo(
      copy.reduce((s, c) => s + 1000 * nodeSeconds(c, 4, speed) * cal.scale(c.opType), 0),
      12,
    );
    const plain = stepTime(copy, setup({ strategy: 'copy' }), config, NONE, speed, UNCALIBRATED);
    expect(t.estimatedMs).not.toBeCloseTo(plain.estimatedMs, 6);
    // Another dtype is another graph: its nodes' times are not taken from the f32 measurement.
    expect(cal.nodeTimes({ ...config, dtype: 'f16' }, setup({ dtype: 'f16' }))).toBeNull();
    expect(cal.nodeTimes(config, setup({}))).not.toBeNull();
  });

  it('adds the optimizer update once a step and the accumulation once per extra micro-batch', () => {
    const work: PendingWork = {
      perStep: { flops: 0, bytes: 2e9, dispatches: 0 },
      perAccumulation: { flops: 0, bytes: 1e9, dispatches: 0 },
    };
    const costs4 = costsOf('copy');
    const plain = stepTime(
      costs4,
      setup({ strategy: 'copy', microBatch: 1, microBatches: 4 }),
      config,
      NONE,
      speed,
      UNCALIBRATED,
    );
    const withWork = stepTime(
      costs4,
      setup({ strategy: 'copy', microBatch: 1, microBatches: 4 }),
      config,
      work,
      speed,
      UNCALIBRATED,
    );
    // 2e9 bytes once and 1e9 bytes three times at 200 GB/s: 10 ms + 15 ms.
    expect(withWork.ms - plain.ms).toBeCloseTo(25, 9);
    expect(withWork.bytesMoved - plain.bytesMoved).toBe(5e9);
  });
});
