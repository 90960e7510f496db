/** Validation helpers of the report schema: bounded arrays, and errors a person can read. */
import { z } from 'zod';

/** Bad items reported before the rest of the array is skipped. */
const MAX_BAD_ITEMS = 5;

/**
 * An array schema that validates its items one by one and stops after a few bad ones. zod's own
 * z.array collects every issue of every item, and merging ~150,000 items' issues overflowed the
 * call stack (a RangeError instead of a validation error); a report that bad needs only its
 * first problems named.
 */
export function listOf<T extends z.ZodType>(item: T) {
  return z.array(z.unknown()).transform((items, ctx): z.output<T>[] => {
    const out: z.output<T>[] = [];
    let bad = 0;
    for (let i = 0; i < items.length; i++) {
      const r = item.safeParse(items[i]);
      if (r.success) {
        out.push(r.data);
        continue;
      }
      for (const issue of r.error.issues)
        ctx.issues.push({
          ...issue,
          path: [i, ...issue.path],
          input: items[i],
        } as (typeof ctx.issues)[number]);
      if (++bad === MAX_BAD_ITEMS && i < items.length - 1) {
        ctx.issues.push({
          code: 'custom',
          path: [],
          message: `stopped after ${MAX_BAD_ITEMS} invalid entries of ${items.length}`,
          input: items,
        });
        return z.NEVER;
      }
    }
    return out;
  });
}

/** A field's path as a reader writes it: `points[3].measured.peakLiveBytes`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the document)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** `data` parsed by `schema`, or an Error of one line: `what`, then the first problems by field. */
export function parseWith<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const problems = r.error.issues.slice(0, 3).map((i) => `${fieldPath(i.path)}: ${i.message}`);
  const more = r.error.issues.length > 3 ? ` (and ${r.error.issues.length - 3} more)` : '';
  throw new Error(`${what}: ${problems.join('; ')}${more}`);
}
