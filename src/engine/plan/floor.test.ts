/**
 * The floor is a true lower bound: no strategy × retention's planned peak falls below it, at any
 * batch from 1 to 1024, for every preset, with and without an optimizer, mixed precision and
 * gradient accumulation, under both allocators (plan.ts floorSets says why it holds).
 */
import { describe, expect, it } from 'vitest';
import { PRESETS, type BuildSpec, type PresetName } from '../models/spec';
import { RETENTION_NAMES, STRATEGY_NAMES, type OptimizerName, type TrainingDType } from '../vocabulary';
import { withAllocator } from './plan';
import { planSpec } from './toReport';

const STEPS: { dtype: TrainingDType; optimizer: OptimizerName; microBatches: number }[] = [
  { dtype: 'f32', optimizer: 'none', microBatches: 1 },
  { dtype: 'f16', optimizer: 'sgd', microBatches: 1 },
  { dtype: 'mixed', optimizer: 'adamw', microBatches: 1 },
  { dtype: 'f32', optimizer: 'adamw', microBatches: 4 },
];
const combos = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);
const BATCHES = Array.from({ length: 1024 }, (_, i) => i + 1);

describe.each(Object.keys(PRESETS) as PresetName[])('the floor of the %s preset', (preset) => {
  it.each(STEPS)(
    'is at most every combination’s peak: $dtype, $optimizer, $microBatches micro-batches',
    (step) => {
      for (const combo of combos) {
        const spec: BuildSpec = { model: { ...PRESETS[preset] }, ...combo, chunk: 64, ...step };
        const lazy = planSpec(spec, 'lazy').plan;
        for (const plan of [lazy, withAllocator(lazy, 'bucket')]) {
          const below = BATCHES.filter((b) => plan.floorBytes(b)! > plan.peakBytes(b));
          expect(below, `${combo.strategy}/${combo.retention} ${plan.allocator}`).toEqual([]);
        }
      }
    },
  );
});
