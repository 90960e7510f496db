/**
 * The graph's shared constants (Graph.constant's `key`), with look-ups by value in front for the
 * two kinds every graph asks for hundreds of times: scalars and int lists. Their keys
 * (`scalar:<dtype>:<value>`, `ints:<values>`) would otherwise be built and hashed for each request.
 */
import type { Dim, DType } from './types';

/** Constants by a list of values, one level per value. */
interface IntsTrie {
  name?: string;
  next?: Map<Dim, IntsTrie>;
}

export class SharedConstants {
  /** Constant names by key: the record (a copy of a graph copies it). */
  readonly byKey = new Map<string, string>();
  /**
   * By dtype and value. Distinct numbers print distinctly, but for 0 and -0, which a Map takes
   * as one key too; so a value finds what its key would.
   */
  private readonly scalars = new Map<DType, Map<number, string>>();
  /** By the values, which are numbers and 'B': told apart by a Map as by their printed forms. */
  private readonly ints: IntsTrie = {};

  /** The scalar constant of `dtype` and `value`, or undefined; `setScalar` records one. */
  scalar(dtype: DType, value: number): string | undefined {
    return this.scalars.get(dtype)?.get(value);
  }

  setScalar(dtype: DType, value: number, name: string): string {
    let byValue = this.scalars.get(dtype);
    if (!byValue) this.scalars.set(dtype, (byValue = new Map()));
    byValue.set(value, name);
    return name;
  }

  /** The place of `values` in the int lists: its `name` once one is recorded there. */
  intsAt(values: readonly Dim[]): { name?: string } {
    let at = this.ints;
    for (const v of values) {
      const next = at.next?.get(v);
      if (next) at = next;
      else (at.next ??= new Map()).set(v, (at = {}));
    }
    return at;
  }

  /** A copy: the record; the look-ups in front of it start empty and fill again. */
  copy(): SharedConstants {
    const c = new SharedConstants();
    for (const [key, name] of this.byKey) c.byKey.set(key, name);
    return c;
  }
}
