/**
 * Pins the `seed` preset's planned bytes for every strategy × retention, as planned before the
 * speed work on the builder and the planner (bench/explore.bench.mjs): making the plan faster
 * must not move a single byte. Recompute these only for a change that means to move them.
 */
import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../models/build';
import { PRESETS } from '../models/spec';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../vocabulary';
import { planGraph } from './plan';

/** f32, lazy: peak bytes at batches 1, 8 and 64. */
const PEAKS_F32_LAZY: Record<string, [number, number, number]> = {
  'copy/minimal': [91512992, 370285728, 2643688608],
  'copy/tape': [209795488, 1090622624, 8137239712],
  'copy/checkpoint': [91512992, 153952928, 754941088],
  'view/minimal': [91512992, 370285728, 2643688608],
  'view/tape': [197999008, 996250784, 7382264992],
  'view/checkpoint': [91512992, 153952928, 754941088],
  'fused/minimal': [91709584, 297977488, 2043127440],
  'fused/tape': [162019728, 707040400, 5067205776],
  'fused/checkpoint': [91709584, 144559248, 657696400],
  'chunked/minimal': [90623648, 294788256, 2039708832],
  'chunked/tape': [203104672, 1037096096, 7709027488],
  'chunked/checkpoint': [90623648, 153952928, 754941088],
};

/** f16, bucket, batch 8: peak bytes, reserved peak bytes, steps. */
const F16_BUCKET_AT_8: Record<string, [number, number, number]> = {
  'copy/minimal': [242569168, 282363856, 683],
  'copy/tape': [753186768, 815804368, 689],
  'copy/checkpoint': [103571408, 169140176, 827],
  'view/minimal': [242569168, 276066256, 611],
  'view/tape': [690272208, 744501200, 611],
  'view/checkpoint': [103571408, 160751568, 731],
  'fused/minimal': [192853952, 242587584, 599],
  'fused/tape': [497399744, 551628736, 599],
  'fused/checkpoint': [95799232, 162914240, 671],
  'chunked/minimal': [192237520, 240394192, 1037],
  'chunked/tape': [717502416, 775925712, 941],
  'chunked/checkpoint': [103571408, 167018448, 1163],
};

const model = PRESETS.seed;
const combos = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);

describe('the seed preset plans the same bytes as before the speed work', () => {
  it.each(combos)('$strategy/$retention, f32, lazy: peaks at batches 1, 8, 64', ({ strategy, retention }) => {
    const g = buildTrainingGraph({ model, strategy, retention, chunk: 64, dtype: 'f32' });
    const plan = planGraph(g, { allocator: 'lazy', floor: model });
    expect([1, 8, 64].map((b) => plan.peakBytes(b))).toEqual(PEAKS_F32_LAZY[`${strategy}/${retention}`]);
    // The fast peak and the full walk agree.
    expect(plan.at(64).peakBytes).toBe(plan.peakBytes(64));
  });

  it.each(combos)(
    '$strategy/$retention, f16, bucket: peak, reserved, steps at batch 8',
    ({ strategy, retention }) => {
      const g = buildTrainingGraph({ model, strategy, retention, chunk: 64, dtype: 'f16' });
      const p = planGraph(g, { allocator: 'bucket', floor: model }).at(8);
      expect([p.peakBytes, p.reservedPeakBytes, p.ops.length]).toEqual(
        F16_BUCKET_AT_8[`${strategy}/${retention}`],
      );
    },
  );
});
