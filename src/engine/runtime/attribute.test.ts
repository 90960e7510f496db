import { describe, expect, it } from 'vitest';
import chain from './fixtures/chain-lazyRelease.json';
import tinyBucket from './fixtures/tiny-bucket.json';
import tiny from './fixtures/tiny-lazyRelease.json';
import { attribute, type AttributionInput } from './attribute';
import { parseProfile } from './profile';
import type { LiveBuffer, TraceEvent } from './tracer';
import type { NodeMeta } from './types';
import type { CacheMode } from '../vocabulary';

// Fixtures: RawTrace dumps (MeasureWorkerApi.lastTrace()) captured in headless Chromium 150 on
// SwiftShader's WebGPU with onnxruntime-web 1.30, of src/harness/tinyModel.ts's graphs.

interface RawTrace {
  events: unknown[];
  baseline: unknown[];
  profileText: string;
}

const F32 = 4;

function input(
  raw: RawTrace,
  cacheMode: CacheMode,
  feedBytes: number,
  nodes: NodeMeta[] = [],
): AttributionInput {
  return {
    events: raw.events as TraceEvent[],
    baseline: raw.baseline as LiveBuffer[],
    profile: parseProfile(raw.profileText),
    nodes,
    feeds: [{ name: 'x', dtype: 'float', shape: [], bytes: feedBytes }],
    cacheMode,
  };
}

const TINY_META: NodeMeta[] = [
  { name: 'transpose', opType: 'Transpose', phase: 'forward', scope: 'tiny', outputs: ['t'] },
  { name: 'matmul', opType: 'MatMul', phase: 'forward', scope: 'tiny' },
  { name: 'reshape', opType: 'Reshape', phase: 'forward', scope: 'tiny', outputs: ['r'] },
  { name: 'softmax', opType: 'Softmax', phase: 'backward', scope: 'block0/attention', outputs: ['s'] },
  { name: 'reducesum', opType: 'ReduceSum', phase: 'forward', scope: 'tiny', outputs: ['y'] },
];

const storageCreated = (raw: RawTrace) =>
  (raw.events as TraceEvent[]).reduce(
    (a, e) => a + (e.kind === 'create' && e.cls === 'storage' ? e.size : 0),
    0,
  );

describe('attribute (bindings) on the tiny graph, lazyRelease', () => {
  const a = attribute(input(tiny, 'lazyRelease', 64 * F32, TINY_META));
  const op = (n: string) => a.ops.find((o) => o.node === n)!;

  it('ties each buffer to the kernel that writes it', () => {
    expect(a.method).toBe('bindings');
    expect(a.notes).toEqual([]);
    expect(a.unattributedBytes).toBe(0);
    expect(a.ops.map((o) => [o.node, o.allocBytes, o.freedBytes])).toEqual([
      ['input', 256, 0],
      ['transpose', 256, 0],
      ['matmul', 1024, 256], // frees the transpose's output, its last reader
      ['reshape', 0, 0], // an alias: no buffer
      ['softmax', 1024, 1024], // frees the matmul's output, read through the reshape
      ['reducesum', 256, 0],
    ]);
  });

  it('names outputs and takes phase and scope from the request', () => {
    expect(op('transpose').outputs).toEqual([{ name: 't', shape: [2, 8, 4], dtype: 'float', bytes: 256 }]);
    expect(op('matmul').outputs[0]!.name).toBe('matmul:0');
    expect(op('softmax')).toMatchObject({ phase: 'backward', scope: 'block0/attention' });
    expect(op('input').outputs[0]!.name).toBe('x');
    expect(op('transpose').gpuMs).toBeGreaterThanOrEqual(0);
    expect(op('reshape').gpuMs).toBeNull();
  });

  it('measures live bytes by use and reserved bytes by create/destroy', () => {
    expect(a.baselineBytes).toBe(256); // W
    expect(a.peakLiveBytes).toBe(256 + 256 + 1024 + 1024); // W, x, m and s inside the softmax
    expect(a.ops.at(-1)!.liveBytesAfter).toBe(256 + 256 + 1024 + 256); // W, x and the outputs s, y
    expect(a.peakReservedBytes).toBe(256 + storageCreated(tiny)); // nothing destroyed before the flush
  });

  it('counts uniform, staging and query buffers apart', () => {
    expect(a.nonTensor.uniform).toEqual({ count: 4, bytes: 64 + 96 + 16 + 16, peakBytes: 192 });
    expect(a.nonTensor.query.count).toBe(1);
    expect(a.nonTensor.staging.count).toBe(4); // upload x, download y and s, read timestamps
    expect(a.nonTensorBytes).toBe(
      a.nonTensor.uniform.bytes + a.nonTensor.staging.bytes + a.nonTensor.query.bytes,
    );
  });
});

describe('attribute (bindings), bucket cache', () => {
  it('reports the bucket-sized buffers ORT allocates', () => {
    const a = attribute(input(tinyBucket, 'bucket', 64 * F32));
    expect(a.method).toBe('bindings');
    expect(a.ops.map((o) => o.allocBytes)).toEqual([256, 256, 2048, 0, 2048, 256]);
    expect(a.unattributedBytes).toBe(0);
  });
});

describe('attribute (bindings) with ORT recycling buffers', () => {
  const a = attribute(input(chain, 'lazyRelease', 64 * 64 * F32));
  const T = 64 * 64 * F32;

  it('gives every op its own allocation though few buffers were created', () => {
    expect(storageCreated(chain)).toBe(5 * T);
    expect(a.ops).toHaveLength(21);
    expect(a.ops.every((o) => o.allocBytes === T)).toBe(true);
    expect(a.unattributedBytes).toBe(0);
  });

  it('frees each intermediate at its last reader; inputs and outputs stay', () => {
    expect(a.ops.map((o) => o.freedBytes / T)).toEqual([0, 0, ...Array(5).fill(1), 0, ...Array(13).fill(1)]);
    expect(a.peakLiveBytes).toBe(4 * T); // x, h5, the previous and the current h
    expect(a.peakReservedBytes).toBe(5 * T);
  });
});

describe('attribute (sizes fallback)', () => {
  it('aligns creations with output sizes when asked to', () => {
    const a = attribute({ ...input(tiny, 'lazyRelease', 64 * F32), method: 'sizes' });
    expect(a.method).toBe('sizes');
    expect(a.ops.map((o) => o.allocBytes)).toEqual([256, 256, 1024, 0, 1024, 256]);
    expect(a.unattributedBytes).toBe(0);
    expect(a.peakLiveBytes).toBe(a.peakReservedBytes); // frees are not timed
  });

  it('falls back when kernel events and dispatches disagree, and drops no byte', () => {
    const inp = input(chain, 'lazyRelease', 64 * 64 * F32);
    inp.profile = { ...inp.profile, kernels: inp.profile.kernels.slice(1) };
    const a = attribute(inp);
    expect(a.method).toBe('sizes');
    expect(a.notes[0]).toMatch(/19 kernel events but 20 dispatches/);
    const alloc = a.ops.reduce((s, o) => s + o.allocBytes, 0);
    expect(alloc + a.unattributedBytes).toBe(storageCreated(chain));
  });

  it('falls back without kernel events (no timestamp-query)', () => {
    const inp = input(tiny, 'lazyRelease', 64 * F32);
    inp.profile = { ...inp.profile, kernels: [] };
    const a = attribute(inp);
    expect(a.method).toBe('sizes');
    expect(a.ops.find((o) => o.node === 'transpose')!.allocBytes).toBe(256);
  });
});

describe('attribute: unexplained buffers', () => {
  it('counts a storage buffer no kernel touched as unattributed, live all step', () => {
    const raw = { ...tiny, events: [...(tiny.events as TraceEvent[])] };
    raw.events.unshift({ seq: 0, t: 0, kind: 'create', id: 999, size: 4096, usage: 0x8c, cls: 'storage' });
    const a = attribute(input(raw, 'lazyRelease', 64 * F32));
    expect(a.method).toBe('bindings');
    expect(a.unattributedBytes).toBe(4096);
    expect(a.peakLiveBytes).toBe(2560 + 4096);
  });
});
