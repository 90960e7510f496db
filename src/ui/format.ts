/** Human-readable numbers for the views. Binary units: 1 KiB = 1024 B. */

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

/** A tensor shape as "2×4×64×32"; a scalar as "scalar". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/**
 * Axis ticks from 0 to at least `max`, about `count` of them, at round numbers of a binary unit
 * (0, 8 MiB, 16 MiB, …), so the tick labels read cleanly.
 */
export function byteTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  let unit = 1;
  while (max / unit >= 1024 && unit < 1024 ** 4) unit *= 1024;
  const raw = max / unit / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude * unit;
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < max) ticks.push(ticks.length * step);
  return ticks;
}

/** Like formatBytes without trailing zeros, for axis ticks: "2 MiB", "2.5 MiB", "100 MiB". */
export function formatBytesShort(bytes: number): string {
  const text = formatBytes(bytes);
  return text.includes('.') ? text.replace(/\.?0+(?= )/, '') : text;
}
