/**
 * Fuzz: hostile inputs to readPickle never crash with anything but a PickleError, never hang, and
 * never slip a code-calling opcode through. Seeded, so a failure repeats.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../testing/readFixture';
import { PickleError, readPickle } from './reader';
import { writePickle, type PlainValue } from './writer';
import { rng } from '../../models/init'; // mulberry32: a failure replays from its seed

const fixtures = ['plain_p2.pickle', 'plain_p4.pickle', 'plain_p5.pickle', 'torch_real_h200.pickle'].map(
  (n) => readFixture(new URL(`./fixtures/${n}`, import.meta.url)),
);

/** Inputs per generator: with every generator, well over the 1,000 hostile inputs an importer must survive. */
const PER_GENERATOR = 250;
const CODE = [0x63, 0x93, 0x52, 0x62, 0x69, 0x6f, 0x81, 0x92, 0x82, 0x83, 0x84, 0x50, 0x51, 0x97, 0x98];
const OPCODES = [
  ...CODE,
  ...[0x28, 0x2e, 0x30, 0x31, 0x32, 0x46, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x58, 0x61, 0x64, 0x7d, 0x65],
  ...[0x67, 0x68, 0x6a, 0x6c, 0x5d, 0x70, 0x71, 0x72, 0x73, 0x74, 0x29, 0x75, 0x47, 0x80, 0x85, 0x86, 0x87],
  ...[0x88, 0x89, 0x8a, 0x8b, 0x42, 0x43, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x94, 0x95, 0x96],
];

function randomPlain(r: () => number, depth: number): PlainValue {
  const k = Math.floor(r() * (depth > 4 ? 5 : 8));
  if (k === 0) return null;
  if (k === 1) return r() < 0.5;
  if (k === 2) return Math.floor((r() - 0.5) * 2 ** (1 + Math.floor(r() * 52)));
  if (k === 3) return r() * 1e6;
  if (k === 4) return 'é'.repeat(Math.floor(r() * 300));
  if (k === 5 || k === 6) return Array.from({ length: Math.floor(r() * 5) }, () => randomPlain(r, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 5) }, (_, i) => [`k${i}`, randomPlain(r, depth + 1)]),
  );
}

type Gen = (r: () => number) => { bytes: Uint8Array; mustRefuse?: RegExp };
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const randomBytes = (r: () => number, n: number) =>
  Uint8Array.from({ length: n }, () => Math.floor(r() * 256));

const GENERATORS: Record<string, Gen> = {
  truncated: (r) => {
    const f = pick(r, fixtures);
    return { bytes: f.subarray(0, Math.floor(r() * (f.length - 1))), mustRefuse: /./ };
  },
  'random bytes': (r) => ({ bytes: randomBytes(r, 1 + Math.floor(r() * 200)) }),
  'random opcodes': (r) => {
    const out: number[] = [0x80, 4];
    for (let i = 0, n = Math.floor(r() * 60); i < n; i++) {
      out.push(pick(r, OPCODES));
      for (let j = 0, m = Math.floor(r() * 9); j < m; j++) out.push(Math.floor(r() * 256));
    }
    out.push(0x2e);
    return { bytes: Uint8Array.from(out) };
  },
  'code-calling opcode': (r) => {
    const f = writePickle(randomPlain(r, 0));
    const op = pick(r, CODE);
    const bytes = Uint8Array.from([...f.subarray(0, 2), op, ...f.subarray(2)]);
    return { bytes, mustRefuse: /refused: it imports or calls code/ };
  },
  'huge declared length': (r) => {
    const op = pick(r, [0x58, 0x42, 0x8d, 0x8e, 0x96, 0x8b, 0x95]);
    const len = pick(r, [0xffffffff, 0x7fffffff, 2 ** 31, 1e6]);
    const wide = op === 0x8d || op === 0x8e || op === 0x96 || op === 0x95;
    const lenBytes = new Uint8Array(wide ? 8 : 4);
    new DataView(lenBytes.buffer).setUint32(0, len, true);
    if (wide && r() < 0.5) lenBytes.fill(0xff);
    return { bytes: Uint8Array.from([0x80, 4, op, ...lenBytes, 0x61, 0x2e]), mustRefuse: /./ };
  },
  'deep nesting': (r) => {
    const n = 50 + Math.floor(r() * 5000);
    const bytes = Uint8Array.from([
      0x80,
      4,
      ...Array<number>(n).fill(0x5d),
      ...Array<number>(n - 1).fill(0x61),
      0x2e,
    ]);
    return { bytes, mustRefuse: n > 100 ? /nesting deeper than 100/ : undefined };
  },
  'memo abuse': (r) => {
    const out: number[] = [0x80, 4, 0x5d, 0x94];
    for (let i = 0, n = Math.floor(r() * 40); i < n; i++) {
      const k = r();
      if (k < 0.3)
        out.push(0x68, Math.floor(r() * 8)); // BINGET, often missing
      else if (k < 0.5)
        out.push(0x94); // MEMOIZE
      else if (k < 0.6)
        out.push(0x32); // DUP
      else if (k < 0.8)
        out.push(0x61); // APPEND (into shared, maybe sealed, lists)
      else out.push(0x5d, 0x28, 0x68, 0, 0x68, 0, 0x65, 0x94); // [m0, m0]
    }
    out.push(0x2e);
    return { bytes: Uint8Array.from(out) };
  },
  'exponential sharing': (r) => {
    // l0 = []; l(i+1) = [li, li, li] through the memo, each popped once stored: 3^levels items
    const out: number[] = [0x80, 4, 0x5d, 0x94];
    const levels = 10 + Math.floor(r() * 40);
    for (let i = 0; i < levels; i++) out.push(0x30, 0x5d, 0x28, 0x68, i, 0x68, i, 0x68, i, 0x65, 0x94);
    out.push(0x2e);
    return {
      bytes: Uint8Array.from(out),
      mustRefuse: levels > 16 ? /more than .* items|nesting deeper/ : undefined,
    };
  },
  'byte flips': (r) => {
    const f = pick(r, fixtures).slice();
    for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++)
      f[Math.floor(r() * f.length)] = Math.floor(r() * 256);
    return { bytes: f };
  },
};

describe('readPickle fuzz', () => {
  for (const [name, gen] of Object.entries(GENERATORS))
    it(`${name}: ${PER_GENERATOR} inputs, only PickleErrors, each well under 2 s`, () => {
      const r = rng(name.length * 7919 + name.charCodeAt(0));
      let refusedCount = 0;
      let worst = 0;
      for (let i = 0; i < PER_GENERATOR; i++) {
        const { bytes, mustRefuse } = gen(r);
        const t0 = performance.now();
        let error: unknown = null;
        try {
          readPickle(bytes);
        } catch (e) {
          error = e;
        }
        worst = Math.max(worst, performance.now() - t0);
        if (error !== null) {
          if (!(error instanceof PickleError)) throw new Error(`${name} #${i}: ${String(error)}`);
          refusedCount++;
        }
        if (mustRefuse) {
          expect(error, `${name} #${i} was accepted`).toBeInstanceOf(PickleError);
          expect((error as PickleError).message).toMatch(mustRefuse);
        }
      }
      expect(worst).toBeLessThan(2000);
      console.info(
        `readPickle fuzz ${name}: ${PER_GENERATOR} inputs, ${refusedCount} refused, slowest ${worst.toFixed(1)} ms`,
      );
    });
});
