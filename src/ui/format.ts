/** Human-readable numbers for the views. Binary units: 1 KiB = 1024 B. */

export { formatBytes } from '../engine/report/bytes';
import { formatBytes } from '../engine/report/bytes';

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
