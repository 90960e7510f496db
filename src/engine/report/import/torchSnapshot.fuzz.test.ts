/**
 * Fuzz: hostile inputs to readTorchSnapshot end in a PickleError or a TorchSnapshotError, never
 * anything else, never hang, and whatever is accepted is a consistent summary; snapshots with a
 * field of the wrong type are always refused. Seeded, so a failure repeats.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../testing/readFixture';
import { PickleError, readPickle, type PickleValue } from '../pickle/reader';
import { writePickle, type PlainValue } from '../pickle/writer';
import { readTorchSnapshot, TorchSnapshotError, type TorchSnapshotSummary } from './torchSnapshot';
import { rng } from '../../models/init'; // mulberry32: a failure replays from its seed

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Inputs per generator: with every generator, well over the 1,000 hostile inputs an importer must survive. */
const PER_GENERATOR = 250;

const real = readFixture(new URL('../pickle/fixtures/torch_real_h200.pickle', import.meta.url));

/** The pickle as writable plain data (tuples become lists, non-string keys strings). */
function plain(v: PickleValue): PlainValue {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (v instanceof Set) return [...v];
  if (Array.isArray(v)) return v.map(plain);
  return v as PlainValue;
}
const realData = plain(readPickle(real)) as { segments: PlainValue[]; device_traces: PlainValue[][] };
// its first 150 trace entries (with the segments at the end): enough to break, quick to clone and write
realData.device_traces[0] = realData.device_traces[0]!.slice(0, 150);

/** A small valid snapshot: a few allocations and frees in one segment. */
function smallSnapshot(r: () => number): Record<string, PlainValue> {
  const trace: PlainValue[] = [
    { action: 'segment_alloc', addr: 1 << 20, size: 1 << 20, stream: 0, frames: [] },
  ];
  const live: number[] = [];
  for (let i = 0; i < 20; i++) {
    if (live.length > 0 && r() < 0.4) {
      const addr = live.splice(Math.floor(r() * live.length), 1)[0]!;
      for (const action of ['free_requested', 'free_completed'])
        trace.push({ action, addr, size: 4096, stream: 0, frames: [] });
    } else {
      const addr = (1 << 20) + i * 4096;
      live.push(addr);
      const frames = [{ filename: 'train.py', line: i, name: 'step' }];
      trace.push({ action: 'alloc', addr, size: 4096, stream: 0, time_us: i, frames });
    }
  }
  const blocks = Array.from({ length: 256 }, (_, k) => {
    const active = live.includes((1 << 20) + k * 4096);
    return { size: 4096, requested_size: 4096, state: active ? 'active_allocated' : 'inactive', frames: [] };
  });
  return {
    segments: [{ device: 0, address: 1 << 20, total_size: 1 << 20, stream: 0, blocks }],
    device_traces: [trace],
  };
}

const WRONG: PlainValue[] = ['x', -1, 1.5, null, true, [], {}, [[]], { a: 1 }];

/** Replaces one required field, somewhere, by a value of the wrong type. */
function breakField(r: () => number, snap: Record<string, PlainValue>): void {
  const s = snap as { segments: Record<string, PlainValue>[]; device_traces: Record<string, PlainValue>[][] };
  const k = Math.floor(r() * 7);
  if (k === 0) snap[pick(r, ['segments', 'device_traces'])] = pick(r, ['x', 3, null, {}]);
  else if (k === 1)
    s.segments[0]![pick(r, ['address', 'total_size', 'blocks'])] = pick(r, ['x', -1, 1.5, null, {}]);
  else if (k === 2) {
    const blocks = s.segments[0]!['blocks'] as Record<string, PlainValue>[];
    pick(r, blocks)[pick(r, ['size', 'state'])] = pick(r, [-1, 1.5, null, [], {}]);
  } else if (k === 3) {
    const e = pick(
      r,
      s.device_traces[0]!.filter((x) => x['action'] !== 'segment_alloc'),
    );
    e[pick(r, ['addr', 'size'])] = pick(r, ['x', -1, 1.5, null, [], {}]);
  } else if (k === 4) pick(r, s.device_traces[0]!)['action'] = pick(r, [1, null, [], {}]);
  else if (k === 5) {
    const e = pick(
      r,
      s.device_traces[0]!.filter((x) => x['action'] === 'alloc'),
    );
    e['frames'] = pick(r, ['x', 3, [1], [{ filename: 1, name: 'n', line: 1 }], [{ filename: 'f', line: 1 }]]);
  } else {
    const seg = s.segments[0]!;
    seg['total_size'] = (seg['total_size'] as number) + 1 + Math.floor(r() * 100);
  }
}

function randomPlain(r: () => number, depth: number): PlainValue {
  const k = Math.floor(r() * (depth > 3 ? 5 : 8));
  if (k < 5) return pick(r, WRONG.slice(0, 5));
  if (k < 7) return Array.from({ length: Math.floor(r() * 4) }, () => randomPlain(r, depth + 1));
  const keys = ['segments', 'device_traces', 'blocks', 'action', 'addr', 'size', 'x'];
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 4) }, () => [pick(r, keys), randomPlain(r, depth + 1)]),
  );
}

type Gen = (r: () => number) => { bytes: Uint8Array; invalid: boolean };
const GENERATORS: Record<string, Gen> = {
  'truncated real snapshot': (r) => ({
    bytes: real.subarray(0, Math.floor(r() * (real.length - 1))),
    invalid: true,
  }),
  'byte flips of the real snapshot': (r) => {
    const b = real.slice();
    for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++)
      b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return { bytes: b, invalid: false };
  },
  'random bytes': (r) => ({
    bytes: Uint8Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * 256)),
    invalid: true,
  }),
  'valid pickles of wrong shapes': (r) => {
    const v = randomPlain(r, 0);
    const o =
      v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, PlainValue>) : null;
    // a dict or list can be a snapshot only if it has segments or a trace: check below
    return { bytes: writePickle(v), invalid: o === null ? !Array.isArray(v) || v.length > 0 : true };
  },
  'snapshots with a wrong-typed field': (r) => {
    const snap = smallSnapshot(r);
    breakField(r, snap);
    return { bytes: writePickle(snap), invalid: true };
  },
  'real snapshot with a wrong-typed field': (r) => {
    const snap = structuredClone(realData) as unknown as Record<string, PlainValue>;
    breakField(r, snap);
    return { bytes: writePickle(snap), invalid: true };
  },
  'code-calling pickles': (r) => {
    const b = writePickle(smallSnapshot(r));
    const op = pick(r, [0x63, 0x93, 0x52, 0x62, 0x69, 0x6f, 0x81, 0x92, 0x82, 0x83, 0x84, 0x50, 0x51]);
    const at = r() < 0.5 ? 2 : b.length - 1; // at an opcode: after PROTO, or before STOP
    return { bytes: Uint8Array.from([...b.subarray(0, at), op, ...b.subarray(at)]), invalid: true };
  },
};

function checkSummary(s: TorchSnapshotSummary): void {
  expect(s.timeline.length).toBeGreaterThan(0);
  expect(s.timeline.length).toBeLessThanOrEqual(2000);
  expect(s.largestAtPeak.length).toBeLessThanOrEqual(20);
  for (const p of s.timeline) {
    expect(p.allocatedBytes).toBeLessThanOrEqual(s.peakAllocatedBytes);
    expect(p.reservedBytes).toBeLessThanOrEqual(s.peakReservedBytes);
    expect(p.allocatedBytes).toBeGreaterThanOrEqual(0);
    expect(p.reservedBytes).toBeGreaterThanOrEqual(0);
  }
  expect(s.timeline.some((p) => p.allocatedBytes === s.peakAllocatedBytes)).toBe(true);
}

describe('readTorchSnapshot fuzz', () => {
  for (const [name, gen] of Object.entries(GENERATORS))
    it(`${name}: ${PER_GENERATOR} inputs, only PickleError or TorchSnapshotError, each well under 2 s`, () => {
      const r = rng(name.length * 104729 + name.charCodeAt(1));
      let refused = 0;
      let worst = 0;
      for (let i = 0; i < PER_GENERATOR; i++) {
        const { bytes, invalid } = gen(r);
        const t0 = performance.now();
        let result: TorchSnapshotSummary | null = null;
        let error: unknown = null;
        try {
          result = readTorchSnapshot(bytes);
        } catch (e) {
          error = e;
        }
        worst = Math.max(worst, performance.now() - t0);
        if (error !== null) {
          if (!(error instanceof PickleError || error instanceof TorchSnapshotError))
            throw new Error(`${name} #${i}: ${String(error)}`);
          refused++;
        } else {
          if (invalid) throw new Error(`${name} #${i}: an invalid snapshot was accepted`);
          checkSummary(result!);
        }
      }
      expect(worst).toBeLessThan(2000);
      console.info(
        `readTorchSnapshot fuzz ${name}: ${PER_GENERATOR} inputs, ${refused} refused, slowest ${worst.toFixed(1)} ms`,
      );
    });
});
