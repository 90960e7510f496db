/**
 * A restricted unpickler: reads Python pickles (protocols 2 to 5, and the plain opcodes of 0 and 1)
 * that hold only plain data, and refuses everything else. It never looks anything up by name and
 * never calls anything: every opcode that would (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ,
 * NEWOBJ, NEWOBJ_EX, EXT1/2/4, PERSID, BINPERSID, and the out-of-band buffers of protocol 5) is
 * refused with a PickleError naming the opcode and its offset.
 *
 * What a pickle's values become:
 *
 * | Python                  | here                                                             |
 * | ----------------------- | ---------------------------------------------------------------- |
 * | None, bool              | null, boolean                                                    |
 * | int                     | number (safe integers only: anything larger is refused)          |
 * | float                   | number                                                           |
 * | str                     | string                                                           |
 * | bytes, bytearray        | Uint8Array                                                       |
 * | list                    | array                                                            |
 * | tuple                   | frozen array                                                     |
 * | dict                    | PickleDict (a Map: keys `__proto__`, `constructor` are plain keys) |
 * | set, frozenset          | Set                                                              |
 *
 * Dict keys and set members must be None, bool, int, float or str. A container can be shared (the
 * memo lets a pickle name one object twice), but it cannot be changed once it sits inside another,
 * so recursive structures (a list containing itself) are refused: what comes back is a tree or a
 * DAG, never a cycle. Limits on the input's size, the nesting depth, the number of items (shared
 * containers counted each time they appear, so sharing cannot hide an exponential tree) and the
 * length of one string or bytes object keep a hostile input from using unbounded time or memory.
 *
 * (Longer than most modules: it is one interpreter, every opcode beside the ones it shares state
 * with, so that what each opcode may do is read in one place.)
 */

/** A dict key or set member: the hashable plain values. */
export type PickleKey = string | number | boolean | null;
export type PickleDict = Map<PickleKey, PickleValue>;
export type PickleValue =
  PickleKey | Uint8Array | PickleValue[] | readonly PickleValue[] | PickleDict | Set<PickleKey>;

export interface PickleLimits {
  /** Largest input accepted, in bytes. */
  maxInputBytes: number;
  /** Deepest nesting of containers (a flat list is depth 1). */
  maxDepth: number;
  /** Most values in the result, shared containers counted each time they appear. */
  maxItems: number;
  /** Longest str or bytes object, in bytes. */
  maxStringBytes: number;
}

export const DEFAULT_PICKLE_LIMITS: Readonly<PickleLimits> = {
  maxInputBytes: 256 * 1024 * 1024,
  maxDepth: 100,
  maxItems: 20_000_000,
  maxStringBytes: 16 * 1024 * 1024,
};

export class PickleError extends Error {
  override readonly name = 'PickleError';
  constructor(
    message: string,
    /** Byte offset of the opcode at fault (-1: the input as a whole). */
    readonly offset: number,
  ) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

/** Opcodes, by byte. */
const OP = {
  MARK: 0x28,
  STOP: 0x2e,
  POP: 0x30,
  POP_MARK: 0x31,
  DUP: 0x32,
  FLOAT: 0x46,
  INT: 0x49,
  BININT: 0x4a,
  BININT1: 0x4b,
  LONG: 0x4c,
  BININT2: 0x4d,
  NONE: 0x4e,
  PERSID: 0x50,
  BINPERSID: 0x51,
  REDUCE: 0x52,
  STRING: 0x53,
  BINSTRING: 0x54,
  SHORT_BINSTRING: 0x55,
  UNICODE: 0x56,
  BINUNICODE: 0x58,
  APPEND: 0x61,
  BUILD: 0x62,
  GLOBAL: 0x63,
  DICT: 0x64,
  EMPTY_DICT: 0x7d,
  APPENDS: 0x65,
  GET: 0x67,
  BINGET: 0x68,
  INST: 0x69,
  LONG_BINGET: 0x6a,
  LIST: 0x6c,
  EMPTY_LIST: 0x5d,
  OBJ: 0x6f,
  PUT: 0x70,
  BINPUT: 0x71,
  LONG_BINPUT: 0x72,
  SETITEM: 0x73,
  TUPLE: 0x74,
  EMPTY_TUPLE: 0x29,
  SETITEMS: 0x75,
  BINFLOAT: 0x47,
  PROTO: 0x80,
  NEWOBJ: 0x81,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  LONG4: 0x8b,
  BINBYTES: 0x42,
  SHORT_BINBYTES: 0x43,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e,
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  NEWOBJ_EX: 0x92,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
} as const;

const OP_NAMES = new Map<number, string>(Object.entries(OP).map(([k, v]) => [v, k]));

/** Opcodes that import, call or build objects by name, or reach outside the pickle. */
const CODE_OPCODES: ReadonlySet<number> = new Set([
  OP.GLOBAL,
  OP.STACK_GLOBAL,
  OP.REDUCE,
  OP.BUILD,
  OP.INST,
  OP.OBJ,
  OP.NEWOBJ,
  OP.NEWOBJ_EX,
  OP.EXT1,
  OP.EXT2,
  OP.EXT4,
  OP.PERSID,
  OP.BINPERSID,
  OP.NEXT_BUFFER,
  OP.READONLY_BUFFER,
]);

/** Protocol 0 strings (repr-escaped) and Python 2 byte strings: valid, but not read here. */
const UNSUPPORTED_OPCODES: ReadonlySet<number> = new Set([
  OP.STRING,
  OP.BINSTRING,
  OP.SHORT_BINSTRING,
  OP.UNICODE,
]);

/** Longest line of a text opcode (INT, LONG, FLOAT, PUT, GET). */
const MAX_LINE = 64;

export function opcodeName(byte: number): string {
  return OP_NAMES.get(byte) ?? `0x${byte.toString(16).padStart(2, '0')}`;
}

type Container = PickleValue[] | PickleDict | Set<PickleKey>;

function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || v instanceof Map || v instanceof Set;
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'tuple' : 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

const MARK_VALUE: unique symbol = Symbol('mark');
type StackItem = PickleValue | typeof MARK_VALUE;

/** Reads a pickle holding plain data; throws PickleError for anything else or beyond the limits. */
export function readPickle(bytes: Uint8Array, limits: Partial<PickleLimits> = {}): PickleValue {
  const lim: PickleLimits = { ...DEFAULT_PICKLE_LIMITS, ...limits };
  if (!(bytes instanceof Uint8Array)) throw new PickleError('a pickle must be given as bytes', -1);
  if (bytes.length > lim.maxInputBytes)
    throw new PickleError(
      `the pickle has ${bytes.length} bytes, more than the limit of ${lim.maxInputBytes}`,
      -1,
    );
  if (bytes.length === 0) throw new PickleError('the pickle is empty', -1);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8');
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  /** Depth and expanded size of each container built; sealed ones sit inside another. */
  const depth = new WeakMap<Container, number>();
  const size = new WeakMap<Container, number>();
  const sealed = new WeakSet<Container>();
  let items = 0;
  let pos = 0;
  let at = 0; // offset of the opcode being read

  const fail = (message: string): never => {
    throw new PickleError(message, at);
  };
  const need = (n: number, what: string): void => {
    if (n > bytes.length - pos) fail(`truncated: ${what} needs ${n} bytes, ${bytes.length - pos} remain`);
  };
  const u8 = (): number => {
    need(1, opcodeName(bytes[at]!));
    return bytes[pos++]!;
  };
  const u16 = (): number => {
    need(2, opcodeName(bytes[at]!));
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4, opcodeName(bytes[at]!));
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8, opcodeName(bytes[at]!));
    const v = view.getBigUint64(pos, true);
    pos += 8;
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  };
  const take = (n: number, what: string): Uint8Array => {
    if (n > lim.maxStringBytes)
      fail(`${what} declares ${n} bytes, more than the limit of ${lim.maxStringBytes}`);
    need(n, what);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = (what: string): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > MAX_LINE) fail(`${what}: no end of line within ${MAX_LINE} bytes`);
    let s = '';
    for (let i = pos; i < end; i++) s += String.fromCharCode(bytes[i]!);
    pos = end + 1;
    return s;
  };

  const count = (n: number): void => {
    items += n;
    if (items > lim.maxItems) fail(`more than ${lim.maxItems} items`);
  };
  const push = (v: PickleValue): void => {
    stack.push(v);
  };
  const newContainer = <C extends Container>(c: C): C => {
    depth.set(c, 1);
    size.set(c, 1);
    count(1);
    return c;
  };
  const pop = (what: string): PickleValue => {
    if (stack.length === 0) fail(`${what} on an empty stack`);
    const v = stack.pop()!;
    if (v === MARK_VALUE) fail(`${what} found a MARK where it needs a value`);
    return v as PickleValue;
  };
  const top = (what: string): PickleValue => {
    const v = stack[stack.length - 1];
    if (stack.length === 0 || v === MARK_VALUE) fail(`${what} needs a value on the stack`);
    return v as PickleValue;
  };
  /** The values above the topmost MARK, removed with it. */
  const popMark = (what: string): PickleValue[] => {
    const m = stack.lastIndexOf(MARK_VALUE);
    if (m < 0) fail(`${what} without a MARK`);
    const vals = stack.splice(m + 1) as PickleValue[];
    stack.pop();
    return vals;
  };
  /** Records that `child` now sits in `parent`: checks depth, size and that parent can change. */
  const adopt = (parent: Container, child: PickleValue): void => {
    if (sealed.has(parent))
      fail(
        `${describe(parent)} changed after it was placed inside another container (recursive structures are not plain data)`,
      );
    if (!isContainer(child)) {
      size.set(parent, size.get(parent)! + 1);
      return;
    }
    if (child === parent)
      fail(`${describe(parent)} placed inside itself (recursive structures are not plain data)`);
    sealed.add(child);
    const d = depth.get(child)! + 1;
    if (d > lim.maxDepth) fail(`nesting deeper than ${lim.maxDepth}`);
    if (d > depth.get(parent)!) depth.set(parent, d);
    const s = size.get(parent)! + size.get(child)!;
    if (s > lim.maxItems) fail(`more than ${lim.maxItems} items (shared containers counted each time)`);
    size.set(parent, s);
  };
  const key = (k: PickleValue, what: string): PickleKey => {
    if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') return k;
    return fail(
      `${what}: a ${describe(k)} cannot be a key or set member here (only None, bool, int, float, str)`,
    );
  };
  const setItems = (d: PickleValue, pairs: PickleValue[], what: string): void => {
    if (!(d instanceof Map)) return fail(`${what} on a ${describe(d)}, not a dict`);
    if (pairs.length % 2 !== 0) fail(`${what} with an odd number of values`);
    for (let i = 0; i < pairs.length; i += 2) {
      const k = key(pairs[i]!, what);
      const v = pairs[i + 1]!;
      adopt(d, v);
      d.set(k, v);
    }
  };
  const appendAll = (l: PickleValue, vals: PickleValue[], what: string): void => {
    if (!Array.isArray(l) || Object.isFrozen(l)) return fail(`${what} on a ${describe(l)}, not a list`);
    for (const v of vals) {
      adopt(l, v);
      (l as PickleValue[]).push(v);
    }
  };
  const addAll = (s: PickleValue, vals: PickleValue[], what: string): void => {
    if (!(s instanceof Set)) return fail(`${what} on a ${describe(s)}, not a set`);
    for (const v of vals) {
      const k = key(v, what);
      adopt(s, k);
      s.add(k);
    }
  };
  const tuple = (vals: PickleValue[]): PickleValue => {
    const t = newContainer(vals);
    for (const v of vals) adopt(t, v);
    return Object.freeze(t);
  };
  const integer = (raw: Uint8Array, what: string): number => {
    if (raw.length === 0) return 0;
    if (raw.length > 32) fail(`${what}: a ${raw.length}-byte integer is beyond the safe integer range`);
    let v = 0n;
    for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
    if (raw[raw.length - 1]! & 0x80) v -= 1n << BigInt(8 * raw.length);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      fail(`${what}: integer ${v} is beyond the safe integer range`);
    return Number(v);
  };
  const decimal = (s: string, what: string): number => {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[-+]?\d+$/.test(t)) fail(`${what}: not an integer: ${JSON.stringify(s)}`);
    const v = BigInt(t);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      fail(`${what}: integer ${t} is beyond the safe integer range`);
    return Number(v);
  };
  const memoIndex = (s: string, what: string): number => {
    if (!/^\d{1,15}$/.test(s)) fail(`${what}: not a memo index: ${JSON.stringify(s)}`);
    return Number(s);
  };
  const get = (i: number): PickleValue => {
    if (!memo.has(i)) fail(`memo entry ${i} was never stored`);
    count(1);
    return memo.get(i)!;
  };
  const put = (i: number, what: string): void => {
    memo.set(i, top(what));
  };
  const text = (raw: Uint8Array): string => decoder.decode(raw);

  while (true) {
    at = pos;
    if (pos >= bytes.length) fail('truncated: the pickle ends without STOP');
    const op = bytes[pos++]!;
    if (CODE_OPCODES.has(op))
      fail(`opcode ${opcodeName(op)} refused: it imports or calls code, and only plain data is read`);
    if (UNSUPPORTED_OPCODES.has(op))
      fail(`opcode ${opcodeName(op)} is not supported (protocol 0 or Python 2 strings)`);
    switch (op) {
      case OP.PROTO: {
        const v = u8();
        if (v > 5) fail(`pickle protocol ${v} is not supported (2 to 5 are)`);
        break;
      }
      case OP.FRAME: {
        const n = u64();
        if (n > bytes.length - pos)
          fail(`truncated: FRAME declares ${n} bytes, ${bytes.length - pos} remain`);
        break;
      }
      case OP.STOP: {
        const v = pop('STOP');
        if (stack.length !== 0) fail(`STOP with ${stack.length} values or MARKs left on the stack`);
        return v;
      }
      case OP.MARK:
        stack.push(MARK_VALUE);
        break;
      case OP.POP:
        if (stack.length === 0) fail('POP on an empty stack');
        stack.pop();
        break;
      case OP.POP_MARK:
        popMark('POP_MARK');
        break;
      case OP.DUP:
        count(1);
        push(top('DUP'));
        break;
      case OP.NONE:
        count(1);
        push(null);
        break;
      case OP.NEWTRUE:
        count(1);
        push(true);
        break;
      case OP.NEWFALSE:
        count(1);
        push(false);
        break;
      case OP.INT: {
        const s = line('INT');
        count(1);
        push(s === '01' ? true : s === '00' ? false : decimal(s, 'INT'));
        break;
      }
      case OP.LONG:
        count(1);
        push(decimal(line('LONG'), 'LONG'));
        break;
      case OP.FLOAT: {
        const s = line('FLOAT');
        const v = /^[-+]?inf$/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
        if (s.trim() === '' || (Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) || /^[-+]?Infinity$/.test(s))
          fail(`FLOAT: not a number: ${JSON.stringify(s)}`);
        count(1);
        push(v);
        break;
      }
      case OP.BININT: {
        need(4, 'BININT');
        const v = view.getInt32(pos, true);
        pos += 4;
        count(1);
        push(v);
        break;
      }
      case OP.BININT1:
        count(1);
        push(u8());
        break;
      case OP.BININT2:
        count(1);
        push(u16());
        break;
      case OP.LONG1: {
        const n = u8();
        need(n, 'LONG1');
        count(1);
        push(integer(take(n, 'LONG1'), 'LONG1'));
        break;
      }
      case OP.LONG4: {
        need(4, 'LONG4');
        const n = view.getInt32(pos, true);
        pos += 4;
        if (n < 0) fail('LONG4 with a negative length');
        if (n > 32) fail(`LONG4: a ${n}-byte integer is beyond the safe integer range`);
        count(1);
        push(integer(take(n, 'LONG4'), 'LONG4'));
        break;
      }
      case OP.BINFLOAT: {
        need(8, 'BINFLOAT');
        const v = view.getFloat64(pos, false);
        pos += 8;
        count(1);
        push(v);
        break;
      }
      case OP.SHORT_BINUNICODE:
        count(1);
        push(text(take(u8(), 'SHORT_BINUNICODE')));
        break;
      case OP.BINUNICODE:
        count(1);
        push(text(take(u32(), 'BINUNICODE')));
        break;
      case OP.BINUNICODE8:
        count(1);
        push(text(take(u64(), 'BINUNICODE8')));
        break;
      case OP.SHORT_BINBYTES:
        count(1);
        push(take(u8(), 'SHORT_BINBYTES').slice());
        break;
      case OP.BINBYTES:
        count(1);
        push(take(u32(), 'BINBYTES').slice());
        break;
      case OP.BINBYTES8:
        count(1);
        push(take(u64(), 'BINBYTES8').slice());
        break;
      case OP.BYTEARRAY8:
        count(1);
        push(take(u64(), 'BYTEARRAY8').slice());
        break;
      case OP.EMPTY_LIST:
        push(newContainer<PickleValue[]>([]));
        break;
      case OP.EMPTY_DICT:
        push(newContainer<PickleDict>(new Map()));
        break;
      case OP.EMPTY_SET:
        push(newContainer(new Set<PickleKey>()));
        break;
      case OP.EMPTY_TUPLE:
        push(tuple([]));
        break;
      case OP.LIST: {
        const vals = popMark('LIST');
        const l = newContainer<PickleValue[]>([]);
        appendAll(l, vals, 'LIST');
        push(l);
        break;
      }
      case OP.TUPLE:
        push(tuple(popMark('TUPLE')));
        break;
      case OP.TUPLE1: {
        const a = pop('TUPLE1');
        push(tuple([a]));
        break;
      }
      case OP.TUPLE2: {
        const b = pop('TUPLE2');
        const a = pop('TUPLE2');
        push(tuple([a, b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop('TUPLE3');
        const b = pop('TUPLE3');
        const a = pop('TUPLE3');
        push(tuple([a, b, c]));
        break;
      }
      case OP.DICT: {
        const vals = popMark('DICT');
        const d = newContainer<PickleDict>(new Map());
        setItems(d, vals, 'DICT');
        push(d);
        break;
      }
      case OP.FROZENSET: {
        const vals = popMark('FROZENSET');
        const s = newContainer(new Set<PickleKey>());
        addAll(s, vals, 'FROZENSET');
        sealed.add(s);
        push(s);
        break;
      }
      case OP.APPEND: {
        const v = pop('APPEND');
        appendAll(top('APPEND'), [v], 'APPEND');
        break;
      }
      case OP.APPENDS: {
        const vals = popMark('APPENDS');
        appendAll(top('APPENDS'), vals, 'APPENDS');
        break;
      }
      case OP.SETITEM: {
        const v = pop('SETITEM');
        const k = pop('SETITEM');
        setItems(top('SETITEM'), [k, v], 'SETITEM');
        break;
      }
      case OP.SETITEMS: {
        const vals = popMark('SETITEMS');
        setItems(top('SETITEMS'), vals, 'SETITEMS');
        break;
      }
      case OP.ADDITEMS: {
        const vals = popMark('ADDITEMS');
        addAll(top('ADDITEMS'), vals, 'ADDITEMS');
        break;
      }
      case OP.PUT:
        put(memoIndex(line('PUT'), 'PUT'), 'PUT');
        break;
      case OP.BINPUT:
        put(u8(), 'BINPUT');
        break;
      case OP.LONG_BINPUT:
        put(u32(), 'LONG_BINPUT');
        break;
      case OP.MEMOIZE:
        put(memo.size, 'MEMOIZE');
        break;
      case OP.GET:
        push(get(memoIndex(line('GET'), 'GET')));
        break;
      case OP.BINGET:
        push(get(u8()));
        break;
      case OP.LONG_BINGET:
        push(get(u32()));
        break;
      default:
        fail(`unknown opcode ${opcodeName(op)}`);
    }
  }
}
