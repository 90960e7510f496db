/** Measured GPU times in the step-time estimate: taken per node where measured, else a calibrated roofline. */
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../explore/planner';
import type { PlanConfig } from '../explore/types';
import { PRESETS } from '../models/spec';
import { sweepReport } from '../testing/sweepReport';
import { calibrate, measuredTimesOf, UNCALIBRATED } from './calibrate';
import { deviceSpeed, nodeSeconds, stepCost } from './cost';
import { microStepTime, stepTime } from './time';
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
const config: PlanConfig = {
  model,
  chunk: 64,
  dtype: 'f32',
  allocator: 'lazy',
  optimizer: 'none',
  microBatches: 1,
  loss: 'standard',
  lossChunk: 128,
};
/** One micro-step's costs (no accumulation graph: every micro-step is that one). */
const only = (apply: ReturnType<typeof stepCost>) => ({ apply, accumulate: null });
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
    const atFour = stepTime(only(costsOf('view')), setup({}), config, speed, cal);
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
      only(costsOf('view')),
      setup({ microBatch: 2, microBatches: 2 }),
      config,
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
    const t = stepTime(only(copy), setup({ strategy: 'copy' }), config, speed, cal);
    expect([t.measuredMs, t.source]).toEqual([0, 'estimated']);
    expect(t.estimatedMs).toBeCloseTo(
      copy.reduce((s, c) => s + 1000 * nodeSeconds(c, 4, speed) * cal.scale(c.opType), 0),
      12,
    );
    const plain = stepTime(only(copy), setup({ strategy: 'copy' }), config, speed, UNCALIBRATED);
    expect(t.estimatedMs).not.toBeCloseTo(plain.estimatedMs, 6);
    // Another dtype is another graph: its nodes' times are not taken from the f32 measurement.
    expect(cal.nodeTimes({ ...config, dtype: 'f16' }, setup({ dtype: 'f16' }))).toBeNull();
    expect(cal.nodeTimes(config, setup({}))).not.toBeNull();
  });

  it('counts k − 1 accumulating micro-steps and one that also runs the optimizer', () => {
    const k4: PlanConfig = { ...config, optimizer: 'adamw', microBatches: 4 };
    const { plan } = planner.plan(k4, { strategy: 'copy', retention: 'minimal' });
    const accumulate = plan.microSteps[0]!;
    const apply = stepCost(plan);
    // The apply micro-step holds AdamW's update; the accumulating one does not.
    expect(apply.length).toBeGreaterThan(stepCost(accumulate).length);
    const s4 = setup({ strategy: 'copy', microBatch: 1, microBatches: 4 });
    const t = stepTime({ apply, accumulate: stepCost(accumulate) }, s4, k4, speed, UNCALIBRATED);
    const micro = (costs: ReturnType<typeof stepCost>) =>
      microStepTime(costs, 1, speed, null, UNCALIBRATED).estimatedMs;
    expect(t.ms).toBeCloseTo(3 * micro(stepCost(accumulate)) + micro(apply), 9);
  });
});
