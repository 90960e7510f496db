/**
 * A point's GPU times in a version 2 file (docs/report-format.md, "GPU times"): one entry per op,
 * whole microseconds, as a string of base-32 digits, most significant first. A digit that ends a
 * number is one of `A`–`Z`, `a`–`f` (0–31); a digit followed by more is one of `g`–`z`, `0`–`9`,
 * `-`, `_` (0–31); `.` is an op without a time. So 0–31 µs take one character, up to 1023 µs two,
 * up to 32,767 µs three: a third of the bytes of a JSON list of the same numbers.
 */
const LAST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef';
const MORE = 'ghijklmnopqrstuvwxyz0123456789-_';
const NONE = '.';
const lastValue = new Map([...LAST].map((c, i) => [c, i]));
const moreValue = new Map([...MORE].map((c, i) => [c, i]));

/** Packs whole, non-negative, safe microsecond counts (or null). */
export function packGpuUs(us: readonly (number | null)[]): string {
  let out = '';
  for (const v of us) {
    if (v === null) {
      out += NONE;
      continue;
    }
    let digits = LAST[v % 32]!;
    for (let rest = Math.floor(v / 32); rest > 0; rest = Math.floor(rest / 32))
      digits = MORE[rest % 32]! + digits;
    out += digits;
  }
  return out;
}

/** The counts of a packed string; throws Error naming the first character it cannot read. */
export function unpackGpuUs(s: string): (number | null)[] {
  const out: (number | null)[] = [];
  let acc = 0;
  let open = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === NONE && !open) {
      out.push(null);
      continue;
    }
    const more = moreValue.get(c);
    if (more !== undefined) {
      acc = acc * 32 + more;
      open = true;
    } else {
      const last = lastValue.get(c);
      if (last === undefined) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      out.push(acc * 32 + last);
      acc = 0;
      open = false;
    }
    if (acc > Number.MAX_SAFE_INTEGER / 32) throw new Error(`a time too large at ${i}`);
  }
  if (open) throw new Error('the last time is cut short');
  return out;
}
