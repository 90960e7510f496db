/**
 * decodeReport against hostile input: over a thousand generated files (truncated JSON, wrong
 * types at random places of a valid report, NaN and friends, prototype keys, huge arrays, deep
 * nesting, gzip bombs, truncated gzip, random bytes). Each must be refused with ReportImportError,
 * or give a report that validates; none may throw anything else, and none may take 2 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../models/spec';
import { sweepReport } from '../testing/sweepReport';
import { decodeReport, encodeReport, gzipBytes, MAX_INFLATED_BYTES, ReportImportError } from './io';
import { parseReport } from './report';
import { rng } from '../models/init'; // mulberry32: a failure replays from its seed

type CpuUsage = (previous?: { user: number; system: number }) => { user: number; system: number };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);

/** Every path to a value inside `v`. */
function paths(
  v: Json,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.slice(0, 6).forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let o = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, Json>;
  o[path[path.length - 1]!] = value;
  return copy;
}

const WRONG: Json[] = [
  'x',
  '',
  null,
  [],
  {},
  -1,
  1.5,
  1e308,
  -0,
  true,
  'NaN',
  'B*0',
  [1, 2, 3],
  { a: 1 },
  2 ** 53,
  '12',
];

interface Case {
  kind: string;
  bytes: Uint8Array;
}

describe('decodeReport on hostile input', () => {
  const cases: Case[] = [];

  beforeAll(async () => {
    const r = sweepReport({
      model: PRESETS.tiny,
      preset: 'tiny',
      strategies: ['view', 'fused'],
      retentions: ['minimal'],
      batches: [1, 2],
      measured: true,
    });
    const v2 = new TextDecoder().decode(await encodeReport(r));
    const v1 = new TextDecoder().decode(await encodeReport(r, { version: 1 }));
    const docs = [JSON.parse(v2) as Json, JSON.parse(v1) as Json];
    const rand = rng(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const add = (kind: string, bytes: Uint8Array) => cases.push({ kind, bytes });

    for (let i = 0; i < 150; i++) {
      const t = pick([v1, v2]);
      add('truncated JSON', text(t.slice(0, Math.floor(rand() * t.length))));
    }
    const allPaths = docs.map((d) => paths(d));
    for (let i = 0; i < 450; i++) {
      const d = Math.floor(rand() * 2);
      const path = pick(allPaths[d]!);
      add(`wrong type at ${path.join('.')}`, text(JSON.stringify(setAt(docs[d]!, path, pick(WRONG)))));
    }
    for (let i = 0; i < 100; i++) {
      const t = pick([v1, v2]);
      const numbers = [...t.matchAll(/:(\d+)/g)];
      const m = pick(numbers);
      const lit = pick(['NaN', 'Infinity', '-Infinity', '-0', '"1"', '1e400', '0.5', '-1']);
      add(`${lit} for a number`, text(t.slice(0, m.index + 1) + lit + t.slice(m.index + 1 + m[1]!.length)));
    }
    for (let i = 0; i < 100; i++) {
      const t = pick([v1, v2]);
      const braces = [...t.matchAll(/\{/g)];
      const at = pick(braces).index + 1;
      const key = pick(['__proto__', 'constructor', 'prototype']);
      const value = pick(['{"polluted":1}', '{"prototype":{"polluted":1}}', 'null', '1']);
      add(`${key} key`, text(`${t.slice(0, at)}"${key}":${value},${t.slice(at)}`));
    }
    for (let i = 0; i < 20; i++) {
      const d = structuredClone(docs[i % 2]!) as { points: Json[]; nodes?: Json[] };
      const huge = Array.from({ length: 100_000 + i * 10_000 }, () => pick([0, null, 'x', {}] as Json[]));
      if (i % 4 === 3 && d.nodes) d.nodes = huge;
      else d.points = huge;
      add('huge array', text(JSON.stringify(d)));
    }
    for (let i = 0; i < 20; i++) {
      const n = 100_000;
      const open = i % 2 ? '{"a":'.repeat(n) : '['.repeat(n);
      const close = i % 2 ? '}'.repeat(n) : ']'.repeat(n);
      add('deep nesting', text(i % 4 < 2 ? open + close : `{"schemaVersion":2,"points":${open}1${close}}`));
    }
    // Gzip bombs: members of 8 MiB of zeros, concatenated past the cap; and a valid gzip of
    // JSON followed by the same.
    const member = await gzipBytes(new Uint8Array(8 << 20));
    const members = Math.ceil(MAX_INFLATED_BYTES / (8 << 20)) + 2;
    const bomb = new Uint8Array(member.length * members);
    for (let i = 0; i < members; i++) bomb.set(member, i * member.length);
    for (let i = 0; i < 4; i++) add('gzip bomb', bomb);
    const gz = await gzipBytes(text(v2));
    for (let i = 0; i < 100; i++)
      add('truncated gzip', gz.slice(0, 2 + Math.floor(rand() * (gz.length - 3))));
    for (let i = 0; i < 60; i++) {
      const g = gz.slice();
      const at = 10 + Math.floor(rand() * (g.length - 10));
      g[at] = g[at]! ^ (1 + Math.floor(rand() * 255));
      add('corrupt gzip', g);
    }
    for (let i = 0; i < 150; i++) {
      const b = new Uint8Array(Math.floor(rand() * 4096));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rand() * 256);
      if (i % 3 === 0 && b.length >= 2) [b[0], b[1]] = [0x1f, 0x8b];
      add('random bytes', b);
    }
    add('empty', new Uint8Array(0));
    add('valid v2', text(v2));
    add('valid v1', text(v1));
    add('valid v2 gzipped', gz);
  }, 60_000);

  /** Node's process (the tests run in Node; the page's tsconfig, which checks them, has no Node types). */
  const { cpuUsage } = (globalThis as unknown as { process: { cpuUsage: CpuUsage } }).process;
  // Bounded work on hostile input, in CPU time: this file's process (Vitest runs each file in one),
  // zlib's threads included. Wall-clock time also counts the other test files sharing the cores: a
  // gzip bomb, inflated up to the cap in about 1 s, took 2.3 s of wall-clock time in one CI run.
  it('refuses every malformed input with ReportImportError, in under 2 s of CPU each, accepting only valid reports', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    let slowest = { ms: 0, kind: '' };
    const outcomes: Record<string, { refused: number; accepted: number }> = {};
    for (const c of cases) {
      const cpu0 = cpuUsage();
      const result = await decodeReport(c.bytes).then(
        (r) => ({ r }),
        (e: unknown) => ({ e }),
      );
      const cpu = cpuUsage(cpu0);
      const ms = (cpu.user + cpu.system) / 1000;
      if (ms > slowest.ms) slowest = { ms, kind: c.kind };
      const tally = (outcomes[c.kind.replace(/ at .*/, '')] ??= { refused: 0, accepted: 0 });
      if ('e' in result) {
        if (!(result.e instanceof ReportImportError)) throw new Error(`${c.kind}: threw ${String(result.e)}`);
        expect(result.e.name).toBe('ReportImportError');
        tally.refused++;
      } else {
        // Whatever is accepted is a valid report, and no prototype was touched.
        expect(() => parseReport(result.r), c.kind).not.toThrow();
        expect(Object.getPrototypeOf(result.r)).toBe(Object.prototype);
        tally.accepted++;
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    console.log(
      `${cases.length} inputs; slowest ${slowest.ms.toFixed(0)} ms of CPU (${slowest.kind})`,
      outcomes,
    );
    expect(slowest.ms).toBeLessThan(2000);
    for (const kind of [
      'truncated JSON',
      'huge array',
      'deep nesting',
      'gzip bomb',
      'truncated gzip',
      'random bytes',
    ])
      expect(outcomes[kind]!.accepted, kind).toBe(0);
    for (const kind of ['valid v1', 'valid v2', 'valid v2 gzipped'])
      expect(outcomes[kind]!.accepted, kind).toBe(1);
  }, 300_000);

  it('says a gzip bomb inflates past the cap', async () => {
    const member = await gzipBytes(new Uint8Array(8 << 20));
    const bomb = new Uint8Array(member.length * 20);
    for (let i = 0; i < 20; i++) bomb.set(member, i * member.length);
    await expect(decodeReport(bomb)).rejects.toThrow(/inflates past 134217728 bytes/);
  }, 30_000);
});
