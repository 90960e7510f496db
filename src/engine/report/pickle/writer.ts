/**
 * A pickle writer for plain data: dicts with string keys (a Map, or a plain object), lists
 * (arrays), str, int, float, bool, None, and, from protocol 3 on, bytes (Uint8Array).
 *
 * It writes protocol 2 or 4 with the opcodes PyTorch's memory viewer (torch/utils/viz/MemoryViz.js,
 * whose own unpickler knows only a few) reads: PROTO, EMPTY_DICT, EMPTY_LIST, MARK, SETITEMS,
 * APPENDS, NONE, NEWTRUE, NEWFALSE, BININT1, BININT2, BININT, LONG1, BINFLOAT, BINUNICODE,
 * SHORT_BINUNICODE (protocol 4) and STOP; BINBYTES/SHORT_BINBYTES for bytes. No memo and no
 * framing (both optional in every protocol). A number is an int when it is a safe integer, else a
 * float: 1.0 is written as the int 1. Integers beyond the safe range are refused.
 */
import { PickleError } from './reader';

export type PlainValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly PlainValue[]
  | ReadonlyMap<string, PlainValue>
  | { readonly [key: string]: PlainValue };

export interface WriteOptions {
  /** 2 (Python 2.3+) or 4 (Python 3.4+); default 4. */
  protocol?: 2 | 4;
  /** Deepest nesting written; default 1000. */
  maxDepth?: number;
}

/** Items per SETITEMS / APPENDS batch, as Python's pickler writes them. */
const BATCH = 1000;

class Out {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  f64be(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v, false);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Minimal two's-complement little-endian bytes of a safe integer (LONG1's payload). */
function longBytes(v: number): Uint8Array {
  let n = BigInt(v);
  const out: number[] = [];
  while (true) {
    const b = Number(n & 0xffn);
    out.push(b);
    n >>= 8n;
    if ((n === 0n && (b & 0x80) === 0) || (n === -1n && (b & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

/** Pickles plain data; throws PickleError for anything else (functions, cycles, huge integers). */
export function writePickle(value: PlainValue, options: WriteOptions = {}): Uint8Array {
  const protocol = options.protocol ?? 4;
  if (protocol !== 2 && protocol !== 4)
    throw new PickleError(`cannot write pickle protocol ${String(protocol)}`, -1);
  const maxDepth = options.maxDepth ?? 1000;
  const out = new Out();
  const encoder = new TextEncoder();
  const open = new Set<object>();

  const str = (s: string): void => {
    const b = encoder.encode(s);
    if (protocol >= 4 && b.length < 256) {
      out.byte(0x8c); // SHORT_BINUNICODE
      out.byte(b.length);
    } else {
      out.byte(0x58); // BINUNICODE
      out.u32(b.length);
    }
    out.bytes(b);
  };
  const num = (v: number): void => {
    if (!Number.isInteger(v) || Object.is(v, -0)) {
      out.byte(0x47); // BINFLOAT
      out.f64be(v);
    } else if (!Number.isSafeInteger(v)) {
      throw new PickleError(`integer ${v} is beyond the safe integer range`, -1);
    } else if (v >= 0 && v < 256) {
      out.byte(0x4b); // BININT1
      out.byte(v);
    } else if (v >= 0 && v < 65536) {
      out.byte(0x4d); // BININT2
      out.u16(v);
    } else if (v >= -0x80000000 && v <= 0x7fffffff) {
      out.byte(0x4a); // BININT
      out.i32(v);
    } else {
      const b = longBytes(v);
      out.byte(0x8a); // LONG1
      out.byte(b.length);
      out.bytes(b);
    }
  };
  const batched = <T>(items: readonly T[], one: (t: T) => void, op: number): void => {
    for (let i = 0; i < items.length; i += BATCH) {
      out.byte(0x28); // MARK
      for (const t of items.slice(i, i + BATCH)) one(t);
      out.byte(op);
    }
  };

  const write = (v: PlainValue, depth: number): void => {
    if (v === null) return out.byte(0x4e); // NONE
    if (v === true) return out.byte(0x88); // NEWTRUE
    if (v === false) return out.byte(0x89); // NEWFALSE
    if (typeof v === 'number') return num(v);
    if (typeof v === 'string') return str(v);
    if (typeof v !== 'object') throw new PickleError(`cannot pickle a ${typeof v}`, -1);
    if (v instanceof Uint8Array) {
      if (protocol < 3) throw new PickleError('bytes need pickle protocol 3 or later', -1);
      if (v.length < 256) {
        out.byte(0x43); // SHORT_BINBYTES
        out.byte(v.length);
      } else {
        out.byte(0x42); // BINBYTES
        out.u32(v.length);
      }
      return out.bytes(v);
    }
    if (depth >= maxDepth) throw new PickleError(`nesting deeper than ${maxDepth}`, -1);
    if (open.has(v)) throw new PickleError('cannot pickle a structure that contains itself', -1);
    open.add(v);
    if (Array.isArray(v)) {
      out.byte(0x5d); // EMPTY_LIST
      batched(v as readonly PlainValue[], (x) => write(x, depth + 1), 0x65); // APPENDS
    } else {
      let entries: [string, PlainValue][];
      if (v instanceof Map) entries = [...(v as ReadonlyMap<string, PlainValue>)];
      else {
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null)
          throw new PickleError(`cannot pickle a ${String((v as object).constructor?.name ?? 'object')}`, -1);
        entries = Object.entries(v as Record<string, PlainValue>);
      }
      out.byte(0x7d); // EMPTY_DICT
      batched(
        entries,
        ([k, x]) => {
          if (typeof k !== 'string') throw new PickleError(`dict keys must be strings, not ${typeof k}`, -1);
          str(k);
          write(x, depth + 1);
        },
        0x75, // SETITEMS
      );
    }
    open.delete(v);
  };

  out.byte(0x80); // PROTO
  out.byte(protocol);
  write(value, 0);
  out.byte(0x2e); // STOP
  return out.result();
}
