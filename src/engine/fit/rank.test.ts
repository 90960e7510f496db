/** Which setups fit and their order, over a fake plan source with hand-worked numbers. */
import { describe, expect, it } from 'vitest';
import type { DeviceLimits } from '../vocabulary';
import {
  changesFromPort,
  closestToPort,
  divisors,
  enumerateSetups,
  portSetup,
  rankSetups,
  setupLabel,
  type SetupEvaluator,
} from './rank';
import type { FitSetup, Setup } from './types';

/** Bytes per example of each combination (f32; mixed holds half). */
const PER_EXAMPLE: Record<string, number> = {
  'copy/tape': 100,
  'copy/minimal': 40,
  'view/tape': 80,
  'view/minimal': 30,
};

/**
 * A fake plan: peak = bytes per example × b (halved under mixed); the largest buffer 10 bytes per
 * example ('scores'); a micro-step costs 1 ms plus 1 ms per example (0.5 under mixed), so a step
 * of k micro-batches takes k + E (or k + E/2) ms.
 */
const fake: SetupEvaluator = (s: Setup) => {
  const half = s.dtype === 'f32' ? 1 : 0.5;
  const ms = s.microBatches * (1 + s.microBatch * half);
  return {
    peakBytes: PER_EXAMPLE[`${s.strategy}/${s.retention}`]! * s.microBatch * half,
    largestBuffer: { tensor: 'scores', bytes: 10 * s.microBatch },
    time: { ms, measuredMs: 0, estimatedMs: ms, source: 'estimated', flops: 0, bytesMoved: 0 },
  };
};

/** Binding a buffer takes at most 60 bytes: batch 8's 80-byte scores do not fit. */
const LIMITS: DeviceLimits = { maxBufferSize: 1000, maxStorageBufferBindingSize: 60 };
const SETUPS = enumerateSetups(8, ['copy', 'view'], ['tape', 'minimal'], ['f32', 'mixed']);
const find = (list: FitSetup[], label: string) => list.find((s) => setupLabel(s) === label);

describe('setups of an effective batch', () => {
  it('tries every divisor of the effective batch as the micro-batch', () => {
    expect(divisors(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(divisors(36)).toEqual([1, 2, 3, 4, 6, 9, 12, 18, 36]);
    expect(divisors(1)).toEqual([1]);
    expect(SETUPS).toHaveLength(2 * 2 * 2 * 4);
    expect(SETUPS.every((s) => s.microBatch * s.microBatches === 8)).toBe(true);
  });

  it('names what differs from the port', () => {
    expect(changesFromPort(portSetup(64))).toEqual([]);
    expect(
      changesFromPort({
        strategy: 'view',
        retention: 'minimal',
        dtype: 'mixed',
        microBatch: 16,
        microBatches: 4,
      }),
    ).toEqual([
      'strategy copy → view',
      'retention tape → minimal',
      'dtype f32 → mixed',
      '4 micro-batches of 16',
    ]);
    expect(setupLabel({ ...portSetup(64), microBatch: 16, microBatches: 4 })).toBe('copy/tape, f32, 4×16');
  });
});

describe('ranking', () => {
  it('fits a setup within the budget (inclusive) and the buffer limit, and says why the others do not', () => {
    let calls = 0;
    const counted: SetupEvaluator = (s) => (calls++, fake(s));
    const { fitting, notFitting } = rankSetups(SETUPS, counted, { budgetBytes: 400, limits: LIMITS });
    expect(calls).toBe(SETUPS.length);
    expect(fitting.length + notFitting.length).toBe(SETUPS.length);
    // Micro-batch 8's scores (80 B) exceed the 60 B binding limit in every setup.
    const whole = notFitting.filter((s) => s.microBatch === 8);
    expect(whole).toHaveLength(8);
    for (const s of whole) {
      expect(s.overLimit).toEqual({
        tensor: 'scores',
        bytes: 80,
        limit: 'maxStorageBufferBindingSize',
        limitBytes: 60,
      });
      expect(s.next).toBeNull();
    }
    // copy/tape f32 at 4 peaks at exactly the budget: it fits with no headroom, and 8 is stopped by the limit.
    const edge = find(fitting, 'copy/tape, f32, 2×4')!;
    expect([edge.peakBytes, edge.headroomBytes, edge.overBudget]).toEqual([400, 0, false]);
    expect(edge.next).toMatchObject({ microBatch: 8, binds: 'buffer-limit', peakBytes: 800 });
    expect(find(fitting, 'copy/tape, f32, 4×2')!.next).toMatchObject({ microBatch: 4, binds: null });
    expect(notFitting.map((s) => s.peakBytes)).toEqual(
      [...notFitting.map((s) => s.peakBytes)].sort((a, b) => a - b),
    );
  });

  it('names the budget when it binds the next micro-batch', () => {
    const { fitting, notFitting } = rankSetups(SETUPS, fake, { budgetBytes: 350, limits: LIMITS });
    const over = find(notFitting, 'copy/tape, f32, 2×4')!;
    expect([over.overBudget, over.overLimit, over.headroomBytes]).toEqual([true, null, -50]);
    expect(find(fitting, 'copy/tape, f32, 4×2')!.next).toMatchObject({ microBatch: 4, binds: 'budget' });
  });

  it('ranks fitting setups by step time, then peak; the closest to the port have the fewest changes', () => {
    const { fitting } = rankSetups(SETUPS, fake, { budgetBytes: 400, limits: LIMITS });
    const times = fitting.map((s) => s.time.ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Mixed at micro-batch 4: 2 + 8/2 = 6 ms, the least; of those view/minimal peaks lowest (30·4/2 = 60 B).
    expect(setupLabel(fitting[0]!)).toBe('view/minimal, mixed, 2×4');
    expect(fitting[0]!.time.ms).toBe(6);
    // The port (8 at once) is over the limit; one change (micro-batches) fits, fastest first: 10, 12, 16 ms.
    const closest = closestToPort(fitting);
    expect(closest.map(setupLabel)).toEqual([
      'copy/tape, f32, 2×4',
      'copy/tape, f32, 4×2',
      'copy/tape, f32, 8×1',
    ]);
    expect(closest.map((s) => s.time.ms)).toEqual([10, 12, 16]);
    expect(closestToPort([])).toEqual([]);
  });
});
