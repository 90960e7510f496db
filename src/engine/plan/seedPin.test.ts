/**
 * Pins the `seed` preset's planned bytes for every strategy × retention, as planned before the
 * speed work on the builder and the planner (bench/explore.bench.mjs): making the plan faster
 * must not move a single byte. Recompute these only for a change that means to move them.
 */
import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../models/build';
import { PRESETS } from '../models/spec';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../vocabulary';
import { bufferBytes } from './liveness';
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

/** f32, reserved peak bytes: lazy at batches 8 and 64, bucket at 3 (computed at the same commit as the peaks). */
const RESERVED_F32: Record<string, [number, number, number]> = {
  'copy/minimal': [430219424, 3123050656, 332962512],
  'copy/tape': [1174978720, 8834266784, 816603856],
  'copy/checkpoint': [240641184, 1427284128, 213738192],
  'view/minimal': [419989152, 3024682656, 326648528],
  'view/tape': [1071172768, 7985726624, 745300688],
  'view/checkpoint': [224909472, 1344688800, 205349584],
  'fused/minimal': [351797392, 2448627344, 284928704],
  'fused/tape': [785111184, 5695836304, 552559296],
  'fused/checkpoint': [231400592, 1377146000, 209740480],
  'chunked/minimal': [358653600, 2500839072, 303581904],
  'chunked/tape': [1118321824, 8373892256, 775676624],
  'chunked/checkpoint': [233534112, 1419891360, 210559696],
};

const model = PRESETS.seed;
const combos = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);

describe('the seed preset plans the same bytes as before the speed work', () => {
  it.each(combos)('$strategy/$retention, f32, lazy: peaks at batches 1, 8, 64', ({ strategy, retention }) => {
    const g = buildTrainingGraph({
      model,
      strategy,
      retention,
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const plan = planGraph(g, { allocator: 'lazy', floor: model });
    expect([1, 8, 64].map((b) => plan.peakBytes(b))).toEqual(PEAKS_F32_LAZY[`${strategy}/${retention}`]);
    // The fast peak and the full walk agree.
    expect(plan.at(64).peakBytes).toBe(plan.peakBytes(64));
  });

  it.each(combos)('$strategy/$retention, f32: reserved peaks, lazy and bucket', ({ strategy, retention }) => {
    const g = buildTrainingGraph({
      model,
      strategy,
      retention,
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const lazy = planGraph(g, { allocator: 'lazy' });
    const bucket = planGraph(g, { allocator: 'bucket' });
    const reserved = [
      lazy.at(8).reservedPeakBytes,
      lazy.at(64).reservedPeakBytes,
      bucket.at(3).reservedPeakBytes,
    ];
    expect(reserved).toEqual(RESERVED_F32[`${strategy}/${retention}`]);
    expect([lazy.reservedPeakBytes(8), lazy.reservedPeakBytes(64), bucket.reservedPeakBytes(3)]).toEqual(
      reserved,
    );
    // Sizes by size class are every buffer's own bytes rounded.
    for (const plan of [lazy, bucket])
      for (const batch of [1, 7, 64])
        expect([...plan.bufferSizes(batch)]).toEqual(
          plan.liveness.buffers.map((b) => bufferBytes(b.bytes, batch, plan.allocator, b.resident)),
        );
  });

  it.each(combos)(
    '$strategy/$retention, f16, bucket: peak, reserved, steps at batch 8',
    ({ strategy, retention }) => {
      const g = buildTrainingGraph({
        model,
        strategy,
        retention,
        chunk: 64,
        dtype: 'f16',
        optimizer: 'none',
        microBatches: 1,
      });
      const p = planGraph(g, { allocator: 'bucket', floor: model }).at(8);
      expect([p.peakBytes, p.reservedPeakBytes, p.ops.length]).toEqual(
        F16_BUCKET_AT_8[`${strategy}/${retention}`],
      );
    },
  );
});
