import { describe, expect, it } from 'vitest';
import {
  byteTicks,
  formatByteCount,
  formatCount,
  formatBytes,
  formatBytesShort,
  formatDuration,
  formatShape,
} from './format';

describe('formatBytes', () => {
  it('prints small values in whole bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('uses binary units with three significant figures', () => {
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(12.34 * 1024 ** 2)).toBe('12.3 MiB');
    expect(formatBytes(768 * 1024 ** 2)).toBe('768 MiB');
    expect(formatBytes(6 * 1024 ** 3)).toBe('6.00 GiB');
  });

  it('moves up a unit when rounding reaches 1024', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.00 MiB');
  });

  it('keeps the sign and marks non-numbers', () => {
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatShape', () => {
  it('joins dimensions and names scalars', () => {
    expect(formatShape([2, 4, 64, 32])).toBe('2×4×64×32');
    expect(formatShape([])).toBe('scalar');
  });
});

describe('byteTicks', () => {
  it('steps in round amounts of one binary unit and reaches the maximum', () => {
    const MiB = 1024 ** 2;
    expect(byteTicks(26 * MiB)).toEqual([0, 10, 20, 30].map((n) => n * MiB));
    expect(byteTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(byteTicks(3 * 1024)).toEqual([0, 1024, 2048, 3072]);
  });

  it('gives a single tick for nothing to show', () => {
    expect(byteTicks(0)).toEqual([0]);
  });
});

describe('formatBytesShort', () => {
  it('drops trailing zeros only', () => {
    const MiB = 1024 ** 2;
    expect(formatBytesShort(2 * MiB)).toBe('2 MiB');
    expect(formatBytesShort(2.5 * MiB)).toBe('2.5 MiB');
    expect(formatBytesShort(10 * MiB)).toBe('10 MiB');
    expect(formatBytesShort(100 * MiB)).toBe('100 MiB');
    expect(formatBytesShort(1.05 * 1024)).toBe('1.05 KiB');
    expect(formatBytesShort(0)).toBe('0 B');
  });
});

describe('formatDuration', () => {
  it('gives milliseconds below a second, with three significant figures', () => {
    expect(formatDuration(0.4237)).toBe('0.42 ms');
    expect(formatDuration(12.34)).toBe('12.3 ms');
    expect(formatDuration(484.2)).toBe('484 ms');
    expect(formatDuration(0)).toBe('0 ms');
  });

  it('gives seconds below a minute', () => {
    expect(formatDuration(999.7)).toBe('1 s');
    expect(formatDuration(4840)).toBe('4.84 s');
    expect(formatDuration(48_420)).toBe('48.4 s');
    expect(formatDuration(59_990)).toBe('1 min');
  });

  it('never prints thousands of milliseconds: minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(484_075.7)).toBe('8 min 4 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3_600_000)).toBe('1 h');
  });

  it('marks what is not a duration', () => {
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatCount', () => {
  it("groups thousands as en-US's toLocaleString does, for every digit count and sign", () => {
    for (let digits = 1; digits <= 16; digits++) {
      const n = Number('9876543210123456'.slice(0, digits));
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      expect(formatCount(-n)).toBe((-n).toLocaleString('en-US'));
    }
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(2 ** 53)).toBe('9,007,199,254,740,992');
    expect(formatCount(1e21)).toBe((1e21).toLocaleString('en-US'));
  });

  it('rounds to a whole number and marks what is not a number', () => {
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatCount(Number.NaN)).toBe('—');
  });
});

describe('formatByteCount', () => {
  it('gives the exact count with thousands separators', () => {
    expect(formatByteCount(1_234_567)).toBe('1,234,567 B');
    expect(formatByteCount(0)).toBe('0 B');
  });
});
