/**
 * Byte sizes on the command line: "1048576", "6GiB", "512 MiB", "1.5GB". Binary units (KiB, MiB,
 * GiB, TiB) are powers of 1024, decimal ones (kB/KB, MB, GB, TB) powers of 1000; bare K, M, G are
 * refused as ambiguous. (The `bytes` npm package reads GB as 1024³ and has no KiB/MiB/GiB.)
 */
import { UsageError } from './io';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A size in whole bytes (>= 1, rounded to the nearest byte), or a UsageError naming the flag. */
export function parseSize(flag: string, text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([a-z]*)$/i.exec(text.trim());
  const bad = (why: string) => new UsageError(`--${flag} ${why}, got ${JSON.stringify(text)}`);
  if (!m) throw bad('must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB');
  const unit = m[2]!.toLowerCase();
  const scale = unit === '' ? 1 : UNITS[unit];
  if (scale === undefined) {
    const hint = /^[kmgt]$/.test(unit) ? ` (say ${unit.toUpperCase()}iB or ${unit.toUpperCase()}B)` : '';
    throw bad(`has an unknown unit "${m[2]}"${hint}: use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB`);
  }
  const bytes = Math.round(Number(m[1]) * scale);
  if (!Number.isSafeInteger(bytes)) throw bad('is too large');
  if (bytes < 1) throw bad('must be at least 1 byte');
  return bytes;
}

/** 1234 -> "1.2 KiB", 512 -> "512 B": binary units, one decimal below 100, none above. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${bytes} B`;
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
