/**
 * A point's step as a PyTorch memory snapshot (docs/report-format.md, "Memory snapshot export"):
 * the pickle `torch.cuda.memory._dump_snapshot` writes, which PyTorch's own tools read
 * (`python -m torch.cuda._memory_viz trace_plot|segment_plot|stats|trace`, and the viewer at
 * pytorch.org/memory_viz).
 *
 * What is mapped how:
 * - the step is the point's measured ops, else its predicted ops;
 * - the bytes live before the step (parameters and constants: `liveBytesAfter - allocBytes +
 *   freedBytes` of the `input` record) are one allocation at the start;
 * - each op's `allocBytes` are one allocation per output tensor (its `bytes`), plus one for the
 *   rest (rounding and kernel scratch buffers) when the outputs add up to less; when they add up to
 *   more (alias ops, in-place writes) the op's `allocBytes` are one allocation;
 * - each op's frees are `free_requested` + `free_completed` (+ `segment_free`) of earlier
 *   allocations. The report says how many bytes are freed after an op, not which tensors, so the
 *   tensors are guessed: an earlier allocation of exactly that size if there is one (the newest),
 *   else the newest earlier allocations that fit, then the op's own (scratch), and when no set of
 *   whole allocations adds up exactly, the newest allocation larger than what is left is freed
 *   and its remainder allocated again (named `rest of ...`, with the freeing op's frames). The bytes freed are exact, which tensors they are is a guess;
 * - when an op's live bytes grow by more than its allocations (a measured step's unattributed
 *   bytes), the difference is one more allocation, named so;
 * - every allocation is its own segment (`segment_alloc` before `alloc`, `segment_free` after
 *   `free_completed`), as onnxruntime's `lazyRelease` cache gives each tensor its own buffer:
 *   sizes are exact bytes (not rounded), addresses come from a first-fit free list over a
 *   simulated address space with 512-byte alignment, and the snapshot's `segments` are the
 *   allocations alive at the end;
 * - frames: `[{ filename: scope, line: op index, name: node }, { filename: "phase opType",
 *   line: op index, name: tensor }]`, the op that allocates (for `alloc`) or frees (for frees);
 * - `time_us` increases by 1 per event, and jumps to the op's start when measured GPU times give
 *   one.
 * Replaying the trace gives each op's `liveBytesAfter` after its events, and the step's peak.
 */
import type { OpRecord, Point } from '../schema';
import type { Report } from '../report';
import { writePickle, type PlainValue } from '../pickle/writer';

export interface SnapshotFrame {
  filename: string;
  line: number;
  name: string;
}

export type SnapshotAction = 'segment_alloc' | 'alloc' | 'free_requested' | 'free_completed' | 'segment_free';

export interface SnapshotTraceEntry {
  action: SnapshotAction;
  addr: number;
  size: number;
  stream: number;
  time_us: number;
  frames: SnapshotFrame[];
}

export interface SnapshotBlock {
  address: number;
  size: number;
  requested_size: number;
  state: 'active_allocated';
  frames: SnapshotFrame[];
}

export interface SnapshotSegment {
  device: number;
  address: number;
  total_size: number;
  allocated_size: number;
  active_size: number;
  requested_size: number;
  stream: number;
  segment_type: 'small' | 'large';
  is_expandable: boolean;
  frames: SnapshotFrame[];
  blocks: SnapshotBlock[];
}

export interface MemorySnapshotData {
  segments: SnapshotSegment[];
  device_traces: SnapshotTraceEntry[][];
  /** Where it came from (ignored by PyTorch's tools). */
  headroom: {
    source: 'measured' | 'predicted';
    strategy: string;
    retention: string;
    batch: number;
    dtype: string;
    allocator: string;
    peakBytes: number;
  };
}

/** First address of the simulated address space (like a CUDA device pointer, beyond 2^32). */
const BASE_ADDRESS = 0x7f00_0000_0000;
const ALIGN = 512;
const SMALL_SEGMENT = 1024 * 1024;

/** A first-fit free list over [BASE, ∞) with coalescing. */
class AddressSpace {
  /** Free ranges, sorted by start, never adjacent. */
  private free: { start: number; size: number }[] = [];
  private end = BASE_ADDRESS;
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const i = this.free.findIndex((r) => r.size >= size);
    if (i >= 0) {
      const r = this.free[i]!;
      const addr = r.start;
      if (r.size === size) this.free.splice(i, 1);
      else this.free[i] = { start: r.start + size, size: r.size - size };
      return addr;
    }
    const addr = this.end;
    this.end += size;
    return addr;
  }
  release(addr: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let i = this.free.findIndex((r) => r.start > addr);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { start: addr, size });
    const next = this.free[i + 1];
    if (next && addr + size === next.start) {
      this.free[i] = { start: addr, size: size + next.size };
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    const cur = this.free[i]!;
    if (prev && prev.start + prev.size === cur.start) {
      prev.size += cur.size;
      this.free.splice(i, 1);
    }
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === this.end) {
      this.end = last.start;
      this.free.pop();
    }
  }
}

interface Live {
  addr: number;
  size: number;
  frames: SnapshotFrame[];
  /** The op that allocated it (-1: before the step). */
  op: number;
}

/** The ops a snapshot shows: the point's measured ops, else its predicted ones. */
function stepOf(point: Point): { source: 'measured' | 'predicted'; ops: OpRecord[]; peakBytes: number } {
  if (point.measured)
    return { source: 'measured', ops: point.measured.ops, peakBytes: point.measured.peakLiveBytes };
  if (point.predicted)
    return { source: 'predicted', ops: point.predicted.ops, peakBytes: point.predicted.peakBytes };
  throw new Error(
    `the point ${point.strategy}/${point.retention} at batch ${point.batch} has neither measured nor predicted ops`,
  );
}

/** The snapshot as plain data (what memorySnapshot pickles). */
export function memorySnapshotData(r: Report, point: Point): MemorySnapshotData {
  const { source, ops, peakBytes } = stepOf(point);
  if (ops.length === 0) throw new Error('the point has no ops to export');
  const space = new AddressSpace();
  const trace: SnapshotTraceEntry[] = [];
  const live: Live[] = [];
  let time = 0;
  let liveBytes = 0;

  const event = (action: SnapshotAction, b: Live, frames: SnapshotFrame[]): void => {
    trace.push({ action, addr: b.addr, size: b.size, stream: 0, time_us: ++time, frames });
  };
  const allocate = (size: number, frames: SnapshotFrame[], op: number): Live => {
    const b: Live = { addr: space.alloc(size), size, frames, op };
    event('segment_alloc', b, frames);
    event('alloc', b, frames);
    live.push(b);
    liveBytes += size;
    return b;
  };
  const release = (b: Live, frames: SnapshotFrame[]): void => {
    event('free_requested', b, frames);
    event('free_completed', b, frames);
    event('segment_free', b, frames);
    space.release(b.addr, b.size);
    live.splice(live.indexOf(b), 1);
    liveBytes -= b.size;
  };
  const frame = (o: OpRecord, i: number, what: string): SnapshotFrame[] => [
    { filename: o.scope, line: i, name: o.node },
    { filename: `${o.phase} ${o.opType}`, line: i, name: what },
  ];

  const first = ops[0]!;
  const before = first.liveBytesAfter - first.allocBytes + first.freedBytes;
  if (before > 0)
    allocate(
      before,
      [{ filename: 'headroom', line: 0, name: 'parameters and constants (live before the step)' }],
      -1,
    );

  let startMs = 0;
  ops.forEach((o, i) => {
    time = Math.max(time, Math.round(startMs * 1000));
    startMs += o.gpuMs ?? 0;
    // allocations: one per output tensor, and the rest (rounding, scratch) as one more
    const outs = o.outputs.filter((t) => t.bytes > 0);
    const outBytes = outs.reduce((s, t) => s + t.bytes, 0);
    if (o.allocBytes > 0) {
      if (outs.length > 0 && outBytes <= o.allocBytes) {
        for (const t of outs) allocate(t.bytes, frame(o, i, t.name), i);
        if (o.allocBytes > outBytes)
          allocate(o.allocBytes - outBytes, frame(o, i, 'rounding and scratch'), i);
      } else allocate(o.allocBytes, frame(o, i, o.node), i);
    }
    // frees: whatever takes live bytes to the record's liveBytesAfter
    let need = liveBytes - o.liveBytesAfter;
    if (need < 0) {
      allocate(-need, frame(o, i, 'unattributed'), i);
      return;
    }
    const freeFrames = (b: Live): SnapshotFrame[] =>
      frame(o, i, `free ${b.frames[b.frames.length - 1]!.name}`);
    const newestFirst = (pred: (b: Live) => boolean): Live[] => live.filter(pred).reverse();
    if (need > 0) {
      const exact = newestFirst((b) => b.op >= 0 && b.op < i && b.size === need)[0];
      if (exact) {
        release(exact, freeFrames(exact));
        need = 0;
      }
    }
    const passes = [(b: Live) => b.op >= 0 && b.op < i, (b: Live) => b.op === i, (b: Live) => b.op < 0];
    for (const pass of passes) {
      for (const b of newestFirst(pass)) {
        if (need === 0) break;
        if (b.size <= need) {
          release(b, freeFrames(b));
          need -= b.size;
        }
      }
    }
    if (need > 0) {
      // no whole allocations add up: free the newest one larger than what is left, allocate its rest
      const b = newestFirst((x) => x.op >= 0 && x.size > need)[0] ?? newestFirst((x) => x.size > need)[0];
      if (!b) throw new Error(`op ${i} (${o.node}) frees more bytes than are live`);
      const at = live.indexOf(b);
      release(b, freeFrames(b));
      const rest = allocate(
        b.size - need,
        frame(o, i, `rest of ${b.frames[b.frames.length - 1]!.name}`),
        b.op,
      );
      live.splice(live.indexOf(rest), 1);
      live.splice(at, 0, rest);
      need = 0;
    }
  });

  const segments: SnapshotSegment[] = [...live]
    .sort((a, b) => a.addr - b.addr)
    .map((b) => ({
      device: 0,
      address: b.addr,
      total_size: b.size,
      allocated_size: b.size,
      active_size: b.size,
      requested_size: b.size,
      stream: 0,
      segment_type: b.size < SMALL_SEGMENT ? 'small' : 'large',
      is_expandable: false,
      frames: [],
      blocks: [
        {
          address: b.addr,
          size: b.size,
          requested_size: b.size,
          state: 'active_allocated',
          frames: b.frames,
        },
      ],
    }));
  return {
    segments,
    device_traces: [trace],
    headroom: {
      source,
      strategy: point.strategy,
      retention: point.retention,
      batch: point.batch,
      dtype: r.dtype,
      allocator: r.allocator,
      peakBytes,
    },
  };
}

/** The point's step as a pickled PyTorch memory snapshot (protocol 4). */
export function memorySnapshot(r: Report, point: Point): Uint8Array {
  // the snapshot's interfaces are plain data, but have no index signature for PlainValue's objects
  return writePickle(memorySnapshotData(r, point) as unknown as PlainValue, { protocol: 4 });
}
