/** Human-readable numbers for the views. Binary units: 1 KiB = 1024 B. */

export { formatBytes, formatCount } from '../engine/report/bytes';
import { formatBytes, formatCount } from '../engine/report/bytes';

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

/** An exact byte count with thousands separators: "1,234,567 B". */
export function formatByteCount(bytes: number): string {
  return Number.isFinite(bytes) ? `${formatCount(bytes)} B` : '—';
}

/** Three significant figures, without trailing zeros past the point: 12.3, 4.84, 484. */
function threeFigures(value: number): string {
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return String(Number(value.toFixed(digits)));
}

/**
 * A duration for people: "0.42 ms", "12.3 ms", "484 ms", "4.84 s", "48.4 s", "8 min 4 s",
 * "2 h 5 min". Never thousands of milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) {
    const text = threeFigures(ms);
    // 999.6 ms rounds to 1000: say seconds instead.
    if (Number(text) < 1000) return `${text} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    const text = threeFigures(seconds);
    if (Number(text) < 60) return `${text} s`;
  }
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) {
    const s = totalSeconds % 60;
    return `${Math.floor(totalSeconds / 60)} min${s ? ` ${s} s` : ''}`;
  }
  const totalMinutes = Math.round(seconds / 60);
  const m = totalMinutes % 60;
  return `${Math.floor(totalMinutes / 60)} h${m ? ` ${m} min` : ''}`;
}
