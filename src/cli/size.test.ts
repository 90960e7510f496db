import { describe, expect, it } from 'vitest';
import { UsageError } from './io';
import { formatSize, parseSize } from './size';

describe('parseSize', () => {
  it.each<[string, number]>([
    ['1', 1],
    ['1048576', 1048576],
    ['512B', 512],
    ['1KiB', 1024],
    ['1kib', 1024],
    ['512MiB', 512 * 2 ** 20],
    ['512 MiB', 512 * 2 ** 20],
    ['6GiB', 6 * 2 ** 30],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['2TiB', 2 * 2 ** 40],
    ['1kB', 1000],
    ['1KB', 1000],
    ['1.5GB', 1.5e9],
    ['6GB', 6e9],
    ['.5MB', 500000],
    ['1.1MiB', 1153434],
    [' 2 GiB ', 2 * 2 ** 30],
  ])('%j -> %d bytes', (text, bytes) => expect(parseSize('budget', text)).toBe(bytes));

  it.each<[string, string]>([
    ['', 'must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB, got ""'],
    ['-1', 'must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB, got "-1"'],
    ['1e9', 'must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB, got "1e9"'],
    ['GiB', 'must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB, got "GiB"'],
    ['6G', 'has an unknown unit "G" (say GiB or GB): use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB, got "6G"'],
    ['6 gigs', 'has an unknown unit "gigs": use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB, got "6 gigs"'],
    ['0', 'must be at least 1 byte, got "0"'],
    ['0.4', 'must be at least 1 byte, got "0.4"'],
    ['99999999TiB', 'is too large, got "99999999TiB"'],
  ])('%j is refused', (text, message) => {
    expect(() => parseSize('budget', text)).toThrow(UsageError);
    expect(() => parseSize('budget', text)).toThrow(`--budget ${message}`);
  });
});

describe('formatSize', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1234, '1.2 KiB'],
    [241568, '236 KiB'],
    [1.9 * 2 ** 20, '1.9 MiB'],
    [6 * 2 ** 30, '6.0 GiB'],
  ])('%d -> %j', (bytes, text) => expect(formatSize(bytes)).toBe(text));
});
