import { describe, expect, it } from 'vitest';
import { PickleError, readPickle, type PickleDict, type PickleValue } from './reader';
import { writePickle, type PlainValue } from './writer';
import { readFixture } from '../../testing/readFixture';

const fixture = (name: string): Uint8Array => readFixture(new URL(`./fixtures/${name}`, import.meta.url));

const refused = (bytes: Uint8Array, message: RegExp, limits = {}): PickleError => {
  try {
    readPickle(bytes, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(PickleError);
    expect((e as PickleError).message).toMatch(message);
    return e as PickleError;
  }
  throw new Error('accepted');
};

const b = (...xs: (number | string)[]): Uint8Array =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe('readPickle on pickles written by Python', () => {
  for (const proto of [2, 4, 5]) {
    it(`reads plain data of protocol ${proto}`, () => {
      const d = readPickle(fixture(`plain_p${proto}.pickle`)) as PickleDict;
      expect(d).toBeInstanceOf(Map);
      expect(d.get('none')).toBeNull();
      expect(d.get('t')).toBe(true);
      expect(d.get('f')).toBe(false);
      expect(d.get('ints')).toEqual([
        0,
        1,
        -1,
        255,
        256,
        65535,
        65536,
        -(2 ** 31),
        2 ** 31 - 1,
        2 ** 31,
        2 ** 40,
        -(2 ** 40),
        Number.MAX_SAFE_INTEGER,
        Number.MIN_SAFE_INTEGER,
      ]);
      expect(d.get('floats')).toEqual([0.5, -2.25, 1e300, Infinity, -Infinity]);
      expect(d.get('str')).toBe('héllo ✓ \u{1F600}');
      expect(d.get('long_str')).toBe('x'.repeat(300));
      expect(d.get('empty')).toBe('');
      const t = d.get('tuple') as readonly PickleValue[];
      expect(t).toEqual([1, 'a', [2, 3]]);
      expect(Object.isFrozen(t)).toBe(true);
      expect(d.get('empty_tuple')).toEqual([]);
      expect(d.get('list')).toEqual([[], [[]], new Map()]);
      expect(d.get('a')).toEqual(['shared', 1]);
      expect(d.get('a')).toBe(d.get('b')); // the memo shares one list
      expect(d.get(1)).toBe('int key');
      expect(d.get(2.5)).toBe('float key');
      expect(d.get(null)).toBe('none key');
      // keys that would pollute a plain object are plain keys of a Map
      expect((d.get('__proto__') as PickleDict).get('polluted')).toBe(true);
      expect(d.get('constructor')).toBe('not a function');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      if (proto >= 4) {
        expect(d.get('bytes')).toEqual(Uint8Array.from({ length: 300 }, (_, i) => [0, 1, 255][i % 3]!));
        expect(d.get('short_bytes')).toEqual(b('ab'));
        expect(d.get('set')).toEqual(new Set([1, 2, 3]));
        expect(d.get('frozenset')).toEqual(new Set(['a']));
      }
      if (proto >= 5) expect(d.get('bytearray')).toEqual(b('xyz'));
    });
  }

  const codeCalling: [string, RegExp][] = [
    ['global_os_system_p2.pickle', /opcode GLOBAL refused: it imports or calls code.*\(at byte 2\)/],
    ['stack_global_os_system_p4.pickle', /opcode STACK_GLOBAL refused/],
    ['reduce_os_system_p4.pickle', /opcode STACK_GLOBAL refused/],
    ['reduce_handmade_p0.pickle', /opcode GLOBAL refused.*\(at byte 0\)/],
    ['reduce_no_global.pickle', /opcode REDUCE refused.*\(at byte 4\)/],
    ['bytes_p2.pickle', /opcode GLOBAL refused/],
  ];
  for (const [name, message] of codeCalling)
    it(`refuses ${name}, which would call code`, () => {
      const e = refused(fixture(name), message);
      expect(e.offset).toBeGreaterThanOrEqual(0);
    });

  it('refuses an integer beyond the safe range', () => {
    refused(
      fixture('bigint_p4.pickle'),
      /LONG1: integer 18446744073709551616 is beyond the safe integer range/,
    );
  });

  it('refuses a list that contains itself', () => {
    refused(fixture('recursive_p4.pickle'), /placed inside itself/);
  });
});

describe('readPickle refuses', () => {
  it('every opcode that can call code, naming it', () => {
    const ops: [number, string][] = [
      [0x63, 'GLOBAL'],
      [0x93, 'STACK_GLOBAL'],
      [0x52, 'REDUCE'],
      [0x62, 'BUILD'],
      [0x69, 'INST'],
      [0x6f, 'OBJ'],
      [0x81, 'NEWOBJ'],
      [0x92, 'NEWOBJ_EX'],
      [0x82, 'EXT1'],
      [0x83, 'EXT2'],
      [0x84, 'EXT4'],
      [0x50, 'PERSID'],
      [0x51, 'BINPERSID'],
      [0x97, 'NEXT_BUFFER'],
      [0x98, 'READONLY_BUFFER'],
    ];
    for (const [op, name] of ops)
      refused(b(0x80, 4, 0x4e, op, 0x2e), new RegExp(`^opcode ${name} refused.*\\(at byte 3\\)$`));
  });

  it('inputs over the size limit', () => {
    refused(b(0x80, 2, 0x4e, 0x2e), /has 4 bytes, more than the limit of 3/, { maxInputBytes: 3 });
  });

  it('nesting over the depth limit', () => {
    const deep = (n: number): PlainValue => (n === 0 ? 1 : [deep(n - 1)]);
    expect(readPickle(writePickle(deep(10)), { maxDepth: 10 })).toEqual(deep(10));
    refused(writePickle(deep(11)), /nesting deeper than 10/, { maxDepth: 10 });
  });

  it('more items than the limit, shared containers counted each time', () => {
    refused(writePickle(Array.from({ length: 100 }, () => 0)), /more than 50 items/, { maxItems: 50 });
    // a = [0]*10, then [a]*10 nested 6 times through the memo: 10^6 items in a few hundred bytes
    const parts: number[] = [
      0x80,
      4,
      0x5d,
      0x28,
      ...Array(10)
        .fill(0x4b)
        .flatMap((x: number) => [x, 0]),
      0x65,
      0x94,
    ];
    for (let i = 0; i < 6; i++) {
      parts.push(0x5d, 0x28);
      for (let j = 0; j < 10; j++) parts.push(0x68, i);
      parts.push(0x65, 0x94);
    }
    parts.push(0x2e);
    refused(Uint8Array.from(parts), /more than 100000 items \(shared containers counted each time\)/, {
      maxItems: 100_000,
    });
  });

  it('strings over the length limit, and declared lengths beyond the input', () => {
    refused(writePickle('x'.repeat(20)), /SHORT_BINUNICODE declares 20 bytes, more than the limit of 10/, {
      maxStringBytes: 10,
    });
    refused(b(0x80, 4, 0x58, 0xff, 0xff, 0xff, 0x7f, 'a', 0x2e), /BINUNICODE declares 2147483647 bytes/);
    refused(
      b(0x80, 4, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
      /BINUNICODE8 declares 9007199254740991 bytes/,
    );
    refused(b(0x80, 4, 0x58, 5, 0, 0, 0, 'ab'), /truncated: BINUNICODE needs 5 bytes, 2 remain/);
    refused(b(0x80, 4, 0x95, 0, 0, 0, 1, 0, 0, 0, 0, 0x2e), /truncated: FRAME declares/);
  });

  it('truncated and malformed pickles', () => {
    refused(b(), /empty/);
    refused(b(0x80, 4, 0x4e), /ends without STOP/);
    refused(b(0x80, 9, 0x4e, 0x2e), /protocol 9 is not supported/);
    refused(b(0x80, 4, 0x2e), /STOP on an empty stack/);
    refused(b(0x80, 4, 0x4e, 0x4e, 0x2e), /STOP with 1 values/);
    refused(b(0x80, 4, 0x68, 3, 0x2e), /memo entry 3 was never stored/);
    refused(b(0x80, 4, 0x65, 0x2e), /APPENDS without a MARK/);
    refused(b(0x80, 4, 0x4e, 0x28, 0x4e, 0x65, 0x2e), /APPENDS on a None, not a list/);
    refused(b(0x80, 4, 0x7d, 0x5d, 0x4e, 0x73, 0x2e), /a list cannot be a key/);
    refused(b(0x80, 4, 0xff), /unknown opcode 0xff/);
    refused(b(0x80, 4, 0x55, 1, 'a', 0x2e), /SHORT_BINSTRING is not supported/);
    expect(readPickle(b(0x80, 4, 0x8b, 9, 0, 0, 0, ...Array(9).fill(0), 0x2e))).toBe(0); // not minimal, but small
    refused(
      b(0x80, 4, 0x8b, 9, 0, 0, 0, ...Array(8).fill(0), 1, 0x2e),
      /LONG4: integer 18446744073709551616 is beyond/,
    );
    refused(b(0x80, 4, 0x8b, 40, 0, 0, 0, 0x2e), /LONG4: a 40-byte integer/);
    refused(b('I12x\n.'), /INT: not an integer/);
  });

  it('a container changed after it was placed inside another', () => {
    // inner = []; outer = [inner]; then inner.append(1) through the memo
    refused(
      b(0x80, 4, 0x5d, 0x94, 0x5d, 0x68, 0, 0x61, 0x68, 0, 0x4b, 1, 0x61, 0x30, 0x2e),
      /changed after it was placed/,
    );
  });
});

describe('readPickle on protocol 0 and 1 plain opcodes', () => {
  it('reads INT, LONG, FLOAT, PUT and GET lines', () => {
    expect(readPickle(b('(I01\nI00\nI-42\nL123L\nF2.5\nFinf\np0\ng0\nl.'))).toEqual([
      true,
      false,
      -42,
      123,
      2.5,
      Infinity,
      Infinity,
    ]);
  });
});

describe('writePickle', () => {
  const sample: PlainValue = {
    s: 'héllo ✓',
    n: [
      0,
      1,
      255,
      256,
      65535,
      65536,
      -1,
      -(2 ** 31),
      2 ** 31,
      2 ** 47 + 12345,
      -(2 ** 50),
      Number.MAX_SAFE_INTEGER,
    ],
    f: [0.5, -1e-300, Infinity],
    b: [true, false, null],
    nested: { list: [[], {}, [{ a: 'b' }]], long: 'y'.repeat(70_000) },
    many: Array.from({ length: 2500 }, (_, i) => i),
  };
  const toPlain = (v: PickleValue): unknown =>
    v instanceof Map
      ? Object.fromEntries([...v].map(([k, x]) => [String(k), toPlain(x)]))
      : Array.isArray(v)
        ? v.map(toPlain)
        : v;

  for (const protocol of [2, 4] as const)
    it(`round-trips plain data with protocol ${protocol}`, () => {
      const bytes = writePickle(sample, { protocol });
      expect(bytes[0]).toBe(0x80);
      expect(bytes[1]).toBe(protocol);
      expect(toPlain(readPickle(bytes))).toEqual(sample);
    });

  it('writes a Map with __proto__ and constructor keys as plain keys', () => {
    const m = new Map<string, PlainValue>([
      ['__proto__', 1],
      ['constructor', 2],
    ]);
    const d = readPickle(writePickle(m)) as PickleDict;
    expect([...d]).toEqual([
      ['__proto__', 1],
      ['constructor', 2],
    ]);
  });

  it('writes bytes from protocol 3 on only', () => {
    expect(readPickle(writePickle(b('ab')))).toEqual(b('ab'));
    expect(readPickle(writePickle(new Uint8Array(300)))).toEqual(new Uint8Array(300));
    expect(() => writePickle(b('ab'), { protocol: 2 })).toThrow(/protocol 3/);
  });

  it('refuses what is not plain data', () => {
    expect(() => writePickle(2 ** 60)).toThrow(/beyond the safe integer range/);
    const loop: PlainValue[] = [];
    loop.push(loop);
    expect(() => writePickle(loop)).toThrow(/contains itself/);
    expect(() => writePickle((() => 1) as unknown as PlainValue)).toThrow(/cannot pickle a function/);
    expect(() => writePickle(new Date() as unknown as PlainValue)).toThrow(/cannot pickle a Date/);
  });
});
