import { describe, expect, it } from 'vitest';
import type { Curve } from '../../engine/explore/types';
import { FIXTURE_BUDGET, FIXTURE_CURVES } from './fixtures';
import { atBatch, atBatchSentence, budgetSentence, limitSentence, statusText } from './maxBatchModel';

const [copyMin, viewMin, copyTape, fused, chunked] = FIXTURE_CURVES as [Curve, Curve, Curve, Curve, Curve];
/** copy/tape as if no buffer limit applied. */
const tapeNoLimit: Curve = { ...copyTape, limitMaxBatch: 2 ** 20, limitTensor: null };

describe('max batch sentences', () => {
  it("gives the budget's answer first", () => {
    expect(budgetSentence(viewMin, '6 GB')).toBe('view/minimal: batch 154 on 6 GB');
    expect(budgetSentence({ ...viewMin, budgetMaxBatch: 0 }, '6 GB')).toBe(
      'view/minimal: not even batch 1 fits 6 GB',
    );
  });

  it('with k micro-batches, says the largest micro-batch as k × it', () => {
    expect(budgetSentence(viewMin, '6 GB', 4)).toBe('view/minimal: 4 × 154 on 6 GB');
    expect(budgetSentence({ ...viewMin, budgetMaxBatch: 0 }, '6 GB', 4)).toBe(
      'view/minimal: not even a micro-batch of 1 fits 6 GB',
    );
  });

  it('names the buffer limit, the tensor that breaks it, and whose limits they are', () => {
    expect(limitSentence(viewMin, 'webgpu-defaults')).toBe(
      "measuring in this browser: up to batch 85 — the tensor `blocks.0.attn.scores` (129 MiB) exceeds WebGPU's 128 MiB maxStorageBufferBindingSize (default limits)",
    );
    expect(limitSentence(viewMin, 'adapter')).toContain(
      "exceeds your adapter's 128 MiB maxStorageBufferBindingSize (your adapter's limits)",
    );
    expect(limitSentence(fused, 'webgpu-defaults')).toBe(
      "measuring in this browser: no single buffer reaches WebGPU's buffer limits (default limits)",
    );
  });
});

describe('at the chosen batch', () => {
  it('tells which combos fit, which are over budget and which over the buffer limit', () => {
    const items = atBatch(FIXTURE_CURVES, 64, FIXTURE_BUDGET);
    expect(items.map((i) => [i.key, i.status])).toEqual([
      ['copy/minimal', 'fits'],
      ['view/minimal', 'fits'],
      ['copy/tape', 'over-budget'],
      ['fused/minimal', 'fits'],
      ['chunked/checkpoint', 'fits'],
    ]);
    expect(items[2]?.overBy).toBe((700 + 112 * 64 - 6144) * 2 ** 20);
    expect(statusText(items[2]!)).toBe('over budget by 1.68 GiB');
    expect(atBatchSentence(items, 64, '6 GB')).toBe(
      'At batch 64, copy/tape needs 7.68 GiB (over 6 GB); copy/minimal (2.84 GiB), view/minimal (2.84 GiB), fused/minimal (2.11 GiB) and chunked/checkpoint (1.74 GiB) fit.',
    );
  });

  it('names buffer-limit failures apart from budget ones, and marks interpolated peaks', () => {
    const items = atBatch([copyMin, tapeNoLimit, chunked], 100, FIXTURE_BUDGET);
    expect(items.map((i) => i.status)).toEqual(['over-limit', 'over-budget', 'fits']);
    expect(statusText(items[0]!)).toBe('over the buffer limit');
    expect(atBatchSentence(items, 100, '6 GB')).toBe(
      'At batch 100, copy/tape needs ≈11.6 GiB (over 6 GB); copy/minimal has a buffer over the limit; chunked/checkpoint (≈2.44 GiB) fits.',
    );
  });

  it('says when all fit and when none does', () => {
    expect(atBatchSentence(atBatch(FIXTURE_CURVES, 8, FIXTURE_BUDGET), 8, '6 GB')).toBe(
      'At batch 8, all 5 fit 6 GB.',
    );
    const none = atBatch([copyMin, tapeNoLimit], 256, FIXTURE_BUDGET);
    expect(none.map((i) => i.status)).toEqual(['over-both', 'over-budget']);
    expect(statusText(none[0]!)).toBe('over budget by 3.59 GiB, and over the buffer limit');
    expect(atBatchSentence(none, 256, '6 GB')).toMatch(/; none fits\.$/);
  });
});
