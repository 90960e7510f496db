import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../models/spec';
import { planSpec, predicted } from '../../plan/toReport';
import { readFixture } from '../../testing/readFixture';
import { memorySnapshot } from '../export/snapshot';
import { PickleError } from '../pickle/reader';
import { writePickle, type PlainValue } from '../pickle/writer';
import { createReport, reportModel } from '../report';
import { readTorchSnapshot, TorchSnapshotError } from './torchSnapshot';

const real = (): Uint8Array =>
  readFixture(new URL('../pickle/fixtures/torch_real_h200.pickle', import.meta.url));

describe('readTorchSnapshot on a real PyTorch snapshot', () => {
  // torch 2.11.0+cu130 on an NVIDIA H200: a nanoGPT-like training step (fixtures/torch_real_h200.py)
  // printed max_memory_allocated 81216512, max_memory_reserved 83886080, memory_allocated at the
  // end 73812480; the trace has 583 entries, and its recorded (requested) sizes peak at 81215496.
  it('finds torch.cuda.max_memory_allocated() and max_memory_reserved()', () => {
    const s = readTorchSnapshot(real());
    expect(s.device).toBe(0);
    expect(s.events).toBe(583);
    expect(s.peakAllocatedBytes).toBe(81216512);
    expect(s.peakReservedBytes).toBe(83886080);
    expect(s.timeline).toHaveLength(584);
    expect(s.timeline[0]).toEqual({ index: 0, timeUs: null, allocatedBytes: 0, reservedBytes: 0 });
    expect(s.timeline.at(-1)!.allocatedBytes).toBe(73812480);
    expect(s.timeline[1]!.timeUs).toBeGreaterThan(1e15);
    expect(Math.max(...s.timeline.map((p) => p.allocatedBytes))).toBe(81216512);
    expect(s.largestAtPeak).toHaveLength(20);
    expect(s.largestAtPeak[0]!.size).toBeGreaterThanOrEqual(s.largestAtPeak[19]!.size);
    expect(s.largestAtPeak[0]!.frame).toMatch(/^\S+:\d+:\S+$/);
  });

  it('keeps the recorded sizes with rounding none', () => {
    expect(readTorchSnapshot(real(), { rounding: 'none' }).peakAllocatedBytes).toBe(81215496);
  });
});

describe('readTorchSnapshot on a Headroom export', () => {
  it('gives back the planned peak and the final live bytes', () => {
    const spec = {
      model: PRESETS.tiny,
      strategy: 'view',
      retention: 'minimal',
      chunk: 8,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    } as const;
    const p = predicted(planSpec(spec, 'lazy').plan, 4);
    const r = createReport({
      device: null,
      model: reportModel('tiny', spec.model),
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
      allocator: 'lazy',
      chunk: 8,
      points: [
        { strategy: 'view', retention: 'minimal', batch: 4, predicted: p, measured: null, error: null },
      ],
    });
    const s = readTorchSnapshot(memorySnapshot(r, r.points[0]!), { rounding: 'none' });
    expect(s.peakAllocatedBytes).toBe(p.peakBytes);
    expect(s.peakAllocatedBytes).toBe(540640); // what PyTorch's tools replayed on the H200 (docs/memory-snapshot.md)
    expect(s.timeline.at(-1)!.allocatedBytes).toBe(p.ops.at(-1)!.liveBytesAfter);
    expect(s.peakReservedBytes).toBe(p.peakBytes); // one segment per allocation
    expect(s.largestAtPeak[0]!.frame).toMatch(/:\d+:/);
  });
});

describe('readTorchSnapshot refuses', () => {
  const bad = (v: PlainValue, message: RegExp): void => {
    expect(() => readTorchSnapshot(writePickle(v))).toThrow(message);
    expect(() => readTorchSnapshot(writePickle(v))).toThrow(TorchSnapshotError);
  };
  it('pickles of other shapes, naming the field', () => {
    bad('hello', /not a PyTorch memory snapshot: the pickle must be a dict, is a string/);
    bad({ a: 1 }, /neither "segments" nor "device_traces"/);
    bad({ segments: [], device_traces: [[]] }, /neither trace entries nor segments/);
    bad({ segments: 3 }, /segments must be a list, is a number/);
    bad(
      { segments: [{ address: 0, total_size: 10, blocks: [{ size: 5, state: 'inactive' }] }] },
      /blocks add up to 5 bytes, its total_size is 10/,
    );
    bad(
      { device_traces: [[{ action: 'alloc', addr: -1, size: 4 }]] },
      /device_traces\[0\]\[0\]\.addr must be an integer ≥ 0, is -1/,
    );
    bad({ device_traces: [[{ action: 7 }]] }, /action must be a str, is a number/);
    bad(
      { device_traces: [[{ action: 'segment_alloc', addr: 0, size: 4 }]], segments: [] },
      /adds 4 reserved bytes, more than its segments hold/,
    );
    bad(
      { device_traces: [[{ action: 'alloc', addr: 0, size: 4, frames: [{ filename: 1 }] }]] },
      /frames\[0\]\.filename must be a str/,
    );
  });
  it('code-calling pickles, through the unpickler', () => {
    const evil = readFixture(new URL('../pickle/fixtures/reduce_os_system_p4.pickle', import.meta.url));
    expect(() => readTorchSnapshot(evil)).toThrow(PickleError);
  });
  it('accepts segments alone (memory_viz reads a bare list as the segments)', () => {
    const seg: PlainValue = {
      device: 0,
      address: 4096,
      total_size: 2048,
      blocks: [
        { size: 1024, state: 'active_allocated', requested_size: 1000 },
        { size: 1024, state: 'inactive' },
      ],
    };
    const s = readTorchSnapshot(writePickle([seg]));
    expect(s).toMatchObject({ device: 0, events: 0, peakAllocatedBytes: 1024, peakReservedBytes: 2048 });
    expect(s.largestAtPeak).toEqual([{ size: 1024, frame: '<no frames>' }]);
  });
});
