import { describe, expect, it } from 'vitest';
import { PRESETS, type BuildSpec } from '../../models/spec';
import { planSpec, predicted } from '../../plan/toReport';
import { readPickle, type PickleDict, type PickleValue } from '../pickle/reader';
import { createReport, reportModel, type Report } from '../report';
import type { OpRecord, Point } from '../schema';
import { memorySnapshot, memorySnapshotData } from './snapshot';

function plannedReport(spec: BuildSpec, batch: number): Report {
  const { plan } = planSpec(spec, 'lazy');
  const point: Point = {
    strategy: spec.strategy,
    retention: spec.retention,
    batch,
    predicted: predicted(plan, batch),
    measured: null,
    error: null,
  };
  return createReport({
    device: null,
    model: reportModel('tiny', spec.model),
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
    allocator: 'lazy',
    chunk: spec.chunk,
    points: [point],
  });
}

const m = (d: PickleValue | undefined): PickleDict => d as PickleDict;

/** Replays the pickled trace: live bytes after each op's events (by the frames' op index), and the peak. */
function replay(bytes: Uint8Array, nOps: number) {
  const snap = m(readPickle(bytes));
  const trace = (snap.get('device_traces') as PickleValue[])[0] as PickleDict[];
  const after = Array<number>(nOps).fill(-1);
  const alive = new Map<number, number>();
  let live = 0;
  let peak = 0;
  let lastTime = 0;
  for (const e of trace) {
    const action = e.get('action') as string;
    const addr = e.get('addr') as number;
    const size = e.get('size') as number;
    const time = e.get('time_us') as number;
    expect(time).toBeGreaterThan(lastTime);
    lastTime = time;
    if (action === 'alloc') {
      expect(alive.has(addr)).toBe(false);
      alive.set(addr, size);
      live += size;
    } else if (action === 'free_completed') {
      expect(alive.get(addr)).toBe(size);
      alive.delete(addr);
      live -= size;
    }
    peak = Math.max(peak, live);
    const frames = e.get('frames') as PickleDict[];
    const op = frames[0]!.get('line') as number;
    if (frames[0]!.get('filename') !== 'headroom') after[op] = live;
  }
  // the segments hold exactly what is alive at the end, each block filling its segment
  const segs = snap.get('segments') as PickleDict[];
  const blocks = segs.flatMap((s) => {
    const bs = s.get('blocks') as PickleDict[];
    expect(bs.reduce((n, b) => n + (b.get('size') as number), 0)).toBe(s.get('total_size'));
    return bs.map((b) => [b.get('address') as number, b.get('size') as number] as const);
  });
  expect(new Map(blocks)).toEqual(alive);
  return { after, peak, live, events: trace.length };
}

function expectFaithful(bytes: Uint8Array, ops: OpRecord[], peakBytes: number): void {
  const { after, peak } = replay(bytes, ops.length);
  // an op with no events leaves live bytes as they were
  let last = 0;
  const expected = ops.map((o) => o.liveBytesAfter);
  const got = after.map((v) => (v >= 0 ? (last = v) : last));
  expect(got).toEqual(expected);
  expect(peak).toBe(peakBytes);
}

const tiny: BuildSpec = {
  model: PRESETS.tiny,
  strategy: 'view',
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
};

describe('memorySnapshot', () => {
  const cases: [BuildSpec['strategy'], BuildSpec['retention']][] = [
    ['view', 'minimal'],
    ['copy', 'tape'],
    ['fused', 'checkpoint'],
    ['chunked', 'minimal'],
  ];
  for (const [strategy, retention] of cases)
    it(`replays the planned step of tiny (${strategy}, ${retention}) exactly: every liveBytesAfter and the peak`, () => {
      const r = plannedReport({ ...tiny, strategy, retention }, 2);
      const point = r.points[0]!;
      expectFaithful(memorySnapshot(r, point), point.predicted!.ops, point.predicted!.peakBytes);
    });

  it('names the node and scope in the frames, and the source in the header', () => {
    const r = plannedReport(tiny, 2);
    const data = memorySnapshotData(r, r.points[0]!);
    const ops = r.points[0]!.predicted!.ops;
    const alloc = data.device_traces[0]!.find((e) => e.action === 'alloc' && e.frames[0]!.line === 1)!;
    expect(alloc.frames[0]).toEqual({ filename: ops[1]!.scope, line: 1, name: ops[1]!.node });
    expect(alloc.frames[1]!.filename).toBe(`${ops[1]!.phase} ${ops[1]!.opType}`);
    expect(alloc.addr).toBeGreaterThan(2 ** 32);
    expect(data.headroom).toMatchObject({
      source: 'predicted',
      batch: 2,
      peakBytes: r.points[0]!.predicted!.peakBytes,
    });
  });

  it('uses the measured ops when there are, with unattributed growth and partial frees', () => {
    const base = plannedReport(tiny, 2);
    const planned = base.points[0]!.predicted!;
    const op = (
      node: string,
      allocBytes: number,
      freedBytes: number,
      liveBytesAfter: number,
      outBytes: number[],
    ): OpRecord => ({
      node,
      opType: 'Op',
      phase: 'forward',
      scope: 'block0/x',
      allocBytes,
      freedBytes,
      liveBytesAfter,
      outputs: outBytes.map((b, i) => ({ name: `${node}:${i}`, shape: [b / 4], dtype: 'float', bytes: b })),
      gpuMs: 0.5,
    });
    const ops = [
      op('input', 1000, 0, 1100, [1000]), // 100 bytes before the step
      op('a', 600, 0, 1800, [400, 200]), // outputs, then 100 unattributed
      op('b', 300, 700, 1400, [304]), // outputs add up to more than allocBytes: one allocation
      op('c', 0, 123, 1277, []), // frees part of an allocation
      op('d', 64, 1341, 0, [64]), // everything, the bytes before the step included
    ];
    const point: Point = {
      ...base.points[0]!,
      predicted: planned,
      measured: {
        peakLiveBytes: 2100,
        peakReservedBytes: 4096,
        unattributedBytes: 100,
        stepMs: 3,
        loss: 1,
        ops,
      },
    };
    const r = { ...base, points: [point] };
    expectFaithful(memorySnapshot(r, point), ops, 2100); // during b: 1800 live before it + 300
    const data = memorySnapshotData(r, point);
    expect(data.headroom.source).toBe('measured');
    expect(data.segments).toEqual([]);
    const times = data.device_traces[0]!.map((e) => e.time_us);
    expect(times.at(-1)).toBeGreaterThanOrEqual(2000); // 4 ops of 0.5 ms before the last
  });

  it('refuses a point without ops', () => {
    const r = plannedReport(tiny, 2);
    const point = { ...r.points[0]!, predicted: null };
    expect(() => memorySnapshot(r, point)).toThrow(/neither measured nor predicted ops/);
  });
});
