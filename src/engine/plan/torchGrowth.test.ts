/**
 * The planner's claim against PyTorch: the per-sample growth of the planned peak of `view/minimal`
 * and `fused/minimal` (the standard loss, f32, no optimizer) is within 3% of what PyTorch measured
 * for its eager autograd with manual attention and for `scaled_dot_product_attention`, on an
 * NVIDIA H200 (scripts/torch_compare.py, committed in bench/results/torch/). Growth is the
 * least-squares slope of the peak over the measured batches, which the CUDA libraries' constant
 * workspaces do not move.
 */
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../explore/planner';
import type { PlanConfig } from '../explore/types';
import { PRESETS, type ModelConfig, type PresetName } from '../models/spec';
import { readFixture } from '../testing/readFixture';
import type { RetentionName, StrategyName } from '../vocabulary';

interface TorchRow {
  preset: PresetName;
  headroom: string;
  optimizer: string;
  dtype: string;
  batch: number;
  peakBytes?: number;
}
interface TorchDoc {
  models: Record<string, { activation: ModelConfig['activation'] }>;
  rows: TorchRow[];
}

const torch = (file: string): TorchDoc =>
  JSON.parse(
    new TextDecoder().decode(readFixture(new URL(`../../../bench/results/torch/${file}`, import.meta.url))),
  ) as TorchDoc;

function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}

const planner = new ComboPlanner();
const FORMS = ['view/minimal', 'fused/minimal'] as const;

describe.each([
  ['torch-gpt2-small-relu.json', 'gpt2-small'],
  ['torch-gpt2-small.json', 'gpt2-small'],
  ['torch-seed.json', 'seed'],
] as const)('%s', (file, preset) => {
  const doc = torch(file);
  const model: ModelConfig = { ...PRESETS[preset], activation: doc.models[preset]!.activation };
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
  it.each(FORMS)('%s grows per sample within 3% of PyTorch', (form) => {
    const rows = doc.rows.filter(
      (r) => r.headroom === form && r.optimizer === 'none' && r.dtype === 'f32' && r.peakBytes !== undefined,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const [strategy, retention] = form.split('/') as [StrategyName, RetentionName];
    const { plan } = planner.plan(config, { strategy, retention });
    const measured = slope(rows.map((r) => [r.batch, r.peakBytes!]));
    const planned = slope(rows.map((r) => [r.batch, plan.peakBytes(r.batch)]));
    expect(Math.abs(planned / measured - 1)).toBeLessThan(0.03);
  });
});
