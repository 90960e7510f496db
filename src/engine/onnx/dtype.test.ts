import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from './dtype';

describe('half precision', () => {
  it('encodes and decodes known values', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00); // overflow to infinity
    expect(fromHalfBits(0x4196)).toBeCloseTo(2.793, 3); // a loss ORT returned as raw bits
    expect(fromHalfBits(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(fromHalfBits(0xfc00)).toBe(-Infinity);
    expect(fromHalfBits(0x7e00)).toBeNaN();
  });

  it('round-trips every finite half exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue; // infinities and NaNs
      const v = fromHalfBits(h);
      expect(toHalfBits(v) === h || (v === 0 && (toHalfBits(v) & 0x7fff) === 0), `0x${h.toString(16)}`).toBe(
        true,
      );
    }
  });
});
