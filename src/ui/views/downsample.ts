/** Fewer points to draw for long timelines, without ever losing the peak. */

/**
 * Indices in [start, end] to draw. All of them when there are at most `maxPoints`; otherwise the
 * range's ends, the largest value of each of about `maxPoints` equal buckets (an upper envelope:
 * no spike is lost), and every index in `keep` that falls in the range (the peak). Ascending.
 */
export function downsampleIndices(
  values: ArrayLike<number>,
  start: number,
  end: number,
  maxPoints: number,
  keep: readonly number[] = [],
): number[] {
  const lo = Math.max(0, Math.floor(start));
  const hi = Math.min(values.length - 1, Math.ceil(end));
  if (hi < lo) return [];
  const count = hi - lo + 1;
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => lo + i);
  const buckets = Math.max(1, maxPoints - 2 - keep.length);
  const picked = new Set<number>([lo, hi]);
  for (const k of keep) if (k >= lo && k <= hi) picked.add(k);
  for (let b = 0; b < buckets; b++) {
    const from = lo + Math.floor((b * count) / buckets);
    const to = lo + Math.floor(((b + 1) * count) / buckets) - 1;
    let best = from;
    for (let i = from + 1; i <= to; i++) if ((values[i] as number) > (values[best] as number)) best = i;
    if (to >= from) picked.add(best);
  }
  return [...picked].sort((a, b) => a - b);
}
