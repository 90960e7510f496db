import { describe, expect, it } from 'vitest';
import { relativeDifference, torchVsPlan } from './torchCompare';

const GIB = 2 ** 30;

describe('torchVsPlan', () => {
  it('states both peaks and the plan relative to PyTorch', () => {
    expect(
      torchVsPlan(2.41 * GIB, { combo: 'view/minimal', batch: 64, peakBytes: Math.round(2.46 * GIB) }),
    ).toBe('PyTorch peaked at 2.41 GiB; Headroom plans 2.46 GiB for view/minimal at batch 64 (+2.1%)');
    expect(relativeDifference(90, 100)).toBe('−10.0%');
    expect(relativeDifference(100, 100)).toBe('±0.0%');
    expect(relativeDifference(100, 0)).toBeNull();
    expect(torchVsPlan(GIB, null)).toBe(
      'PyTorch peaked at 1.00 GiB; Headroom has no step planned to set beside it.',
    );
  });
});
