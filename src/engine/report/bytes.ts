/** Byte counts for people, in binary units (1 KiB = 1024 B): the page's and the engine's messages. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * Bytes as B, KiB, MiB, GiB or TiB with three significant figures: "512 B", "1.50 KiB", "12.3 MiB",
 * "768 MiB". Whole bytes are never given decimals; negative values keep their sign.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  // Round first, so 1023.9 KiB does not print as "1024 KiB" but moves up a unit.
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  const rounded = Number(value.toFixed(digits));
  if (rounded >= 1024 && unit < UNITS.length - 1) return `${sign}1.00 ${UNITS[unit + 1]}`;
  return `${sign}${rounded.toFixed(digits)} ${UNITS[unit]}`;
}

/** Bytes in units with the exact count beside them, for messages: "60.0 KiB (61440 B)". */
export function describeBytes(bytes: number): string {
  const short = formatBytes(bytes);
  return short.endsWith(' B') ? short : `${short} (${bytes} B)`;
}

/**
 * A whole number with thousands separators, "-1,234,567", without Intl: a page's first
 * toLocaleString loads ICU's number formatter, 20-50 ms on the page's thread (the page's first
 * exact byte count comes right after its first chart, in the max-batch list).
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const whole = Math.round(n);
  const digits = String(Math.abs(whole));
  // Past 1e21 String() writes an exponent; no count of bytes or events gets there.
  if (digits.includes('e')) return whole.toLocaleString('en-US');
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return whole < 0 ? `-${out}` : out;
}
