/**
 * Reads a PyTorch memory snapshot (`torch.cuda.memory._dump_snapshot`, docs/report-format.md,
 * "PyTorch snapshot import") through the restricted unpickler, and sums it up: the allocated and
 * reserved bytes over the trace, their peaks, and the largest blocks live at the peak.
 *
 * - The device is the first with trace entries, else the first with segments.
 * - Allocated bytes: `alloc` adds an allocation, `free_completed` removes it (as MemoryViz.js's
 *   timeline does). Sizes are rounded as the CUDA caching allocator rounds them (512-byte
 *   multiples, at least 512), so the peak is `torch.cuda.max_memory_allocated()` when the
 *   allocator split its blocks to size (it may keep up to 1 MiB more in a large block);
 *   `rounding: 'none'` keeps the recorded sizes.
 * - Allocations live before the trace began (the trace is a ring buffer, or recording started
 *   late) count from the start: those freed in the trace without being allocated in it, and the
 *   blocks active at the end that the trace did not allocate.
 * - Reserved bytes: `segment_alloc`/`segment_map` add, `segment_free`/`segment_unmap` remove, from
 *   the segments' `total_size` at the end less what the trace added.
 * - Without a trace, the segments alone: one point, their active blocks and total sizes.
 */
import {
  PickleError,
  readPickle,
  type PickleDict,
  type PickleLimits,
  type PickleValue,
} from '../pickle/reader';

export interface TorchSnapshotSummary {
  device: number;
  peakAllocatedBytes: number;
  peakReservedBytes: number;
  events: number;
  /** Downsampled to at most 2000 points, keeping the first, the last and the peak. */
  timeline: { index: number; timeUs: number | null; allocatedBytes: number; reservedBytes: number }[];
  /** The 20 largest blocks live at the (first) peak. */
  largestAtPeak: { size: number; frame: string }[];
}

export interface TorchSnapshotOptions {
  rounding?: 'allocator' | 'none';
  limits?: Partial<PickleLimits>;
}

export class TorchSnapshotError extends Error {
  override readonly name = 'TorchSnapshotError';
}

const MAX_POINTS = 2000;
const TOP_BLOCKS = 20;
const DEFAULT_LIMITS: Partial<PickleLimits> = { maxItems: 50_000_000, maxInputBytes: 1024 * 1024 * 1024 };

interface Frame {
  filename: string;
  line: number;
  name: string;
}
interface Entry {
  action: string;
  addr: number;
  size: number;
  timeUs: number | null;
  frames: Frame[];
}
interface Block {
  addr: number;
  size: number;
  active: boolean;
  frames: Frame[];
}

const fail = (message: string): never => {
  throw new TorchSnapshotError(`not a PyTorch memory snapshot: ${message}`);
};

function kind(v: PickleValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'None';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'a tuple' : 'a list';
  if (v instanceof Map) return 'a dict';
  if (v instanceof Set) return 'a set';
  if (v instanceof Uint8Array) return 'bytes';
  return `a ${typeof v}`;
}

function dict(v: PickleValue | undefined, where: string): PickleDict {
  return v instanceof Map ? v : fail(`${where} must be a dict, is ${kind(v)}`);
}
function list(v: PickleValue | undefined, where: string): readonly PickleValue[] {
  return Array.isArray(v) ? v : fail(`${where} must be a list, is ${kind(v)}`);
}
function count(v: PickleValue | undefined, where: string): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
    ? v
    : fail(`${where} must be an integer ≥ 0, is ${typeof v === 'number' ? v : kind(v)}`);
}
function str(v: PickleValue | undefined, where: string): string {
  return typeof v === 'string' ? v : fail(`${where} must be a str, is ${kind(v)}`);
}

function frames(v: PickleValue | undefined, where: string): Frame[] {
  if (v === undefined) return [];
  return list(v, where).map((f, i) => {
    const d = dict(f, `${where}[${i}]`);
    const line = d.get('line');
    return {
      filename: str(d.get('filename'), `${where}[${i}].filename`),
      line: typeof line === 'number' ? line : 0,
      name: str(d.get('name'), `${where}[${i}].name`),
    };
  });
}

/** The frame that says most about where a block came from: the first outside PyTorch itself. */
function frameText(fs: Frame[]): string {
  const fmt = (f: Frame) => `${f.filename.split('/').at(-1)}:${f.line}:${f.name}`;
  const own = fs.find(
    (f) => !/\/torch\/|site-packages|^\?\?$|\.(c|cpp|h)$/.test(f.filename) && f.filename !== '',
  );
  const f = own ?? fs[0];
  return f ? fmt(f) : '<no frames>';
}

function roundSize(size: number, rounding: 'allocator' | 'none'): number {
  if (rounding === 'none') return size;
  return size < 512 ? 512 : Math.ceil(size / 512) * 512;
}

const SIZED_ACTIONS = new Set([
  'alloc',
  'free_requested',
  'free_completed',
  'segment_alloc',
  'segment_free',
  'segment_map',
  'segment_unmap',
]);

/** Reads a snapshot pickle and sums it up; throws PickleError or TorchSnapshotError, each saying why. */
export function readTorchSnapshot(
  bytes: Uint8Array,
  options: TorchSnapshotOptions = {},
): TorchSnapshotSummary {
  const rounding = options.rounding ?? 'allocator';
  let data: PickleValue;
  try {
    data = readPickle(bytes, { ...DEFAULT_LIMITS, ...options.limits });
  } catch (e) {
    if (e instanceof PickleError) throw e;
    throw new PickleError(`the pickle could not be read: ${String(e)}`, -1);
  }
  // memory_viz reads a bare list as the segments of an old snapshot
  const top: PickleDict = Array.isArray(data) ? new Map([['segments', data]]) : dict(data, 'the pickle');
  if (!top.has('segments') && !top.has('device_traces'))
    fail('the dict has neither "segments" nor "device_traces"');

  const segments = list(top.has('segments') ? top.get('segments') : [], 'segments').map((s, i) => {
    const d = dict(s, `segments[${i}]`);
    const device = d.has('device') ? count(d.get('device'), `segments[${i}].device`) : 0;
    const address = count(d.get('address'), `segments[${i}].address`);
    const total = count(d.get('total_size'), `segments[${i}].total_size`);
    let addr = address;
    const blocks: Block[] = list(d.get('blocks'), `segments[${i}].blocks`).map((b, j) => {
      const where = `segments[${i}].blocks[${j}]`;
      const bd = dict(b, where);
      const size = count(bd.get('size'), `${where}.size`);
      const state = str(bd.get('state'), `${where}.state`);
      const block: Block = {
        addr,
        size:
          bd.has('requested_size') && rounding === 'none'
            ? count(bd.get('requested_size'), `${where}.requested_size`)
            : size,
        active: state.startsWith('active'),
        frames: frames(bd.get('frames'), `${where}.frames`),
      };
      addr += size;
      return block;
    });
    if (addr - address !== total)
      fail(`segments[${i}]: its blocks add up to ${addr - address} bytes, its total_size is ${total}`);
    return { device, total, blocks };
  });

  const traces = list(top.has('device_traces') ? top.get('device_traces') : [], 'device_traces').map(
    (t, dev) =>
      list(t, `device_traces[${dev}]`).map((e, k): Entry => {
        const where = `device_traces[${dev}][${k}]`;
        const d = dict(e, where);
        const action = str(d.get('action'), `${where}.action`);
        const time = d.get('time_us');
        const sized = SIZED_ACTIONS.has(action);
        return {
          action,
          addr: sized ? count(d.get('addr'), `${where}.addr`) : 0,
          size: sized || action === 'oom' ? count(d.get('size'), `${where}.size`) : 0,
          timeUs: typeof time === 'number' && Number.isFinite(time) ? time : null,
          frames: sized ? frames(d.get('frames'), `${where}.frames`) : [],
        };
      }),
  );

  let device = traces.findIndex((t) => t.length > 0);
  if (device < 0) {
    const withSegments = segments.find((s) => s.blocks.length > 0 || s.total > 0);
    if (!withSegments) return fail('it has neither trace entries nor segments');
    device = withSegments.device;
  }
  const trace = traces[device] ?? [];
  const segs = segments.filter((s) => s.device === device);
  const reservedEnd = segs.reduce((n, s) => n + s.total, 0);
  const blocksEnd = segs.flatMap((s) => s.blocks.filter((b) => b.active));

  // what was live before the trace began
  const initial = new Map<number, { size: number; frames: Frame[] }>();
  const allocated = new Set<number>();
  let reservedDelta = 0;
  for (const e of trace) {
    if (e.action === 'alloc') allocated.add(e.addr);
    else if (e.action === 'free_completed') {
      if (!allocated.has(e.addr) && !initial.has(e.addr))
        initial.set(e.addr, { size: roundSize(e.size, rounding), frames: e.frames });
      allocated.delete(e.addr);
    } else if (e.action === 'segment_alloc' || e.action === 'segment_map') reservedDelta += e.size;
    else if (e.action === 'segment_free' || e.action === 'segment_unmap') reservedDelta -= e.size;
  }
  for (const b of blocksEnd)
    if (!allocated.has(b.addr) && !initial.has(b.addr))
      initial.set(b.addr, { size: b.size, frames: b.frames });
  const reservedStart = reservedEnd - reservedDelta;
  if (reservedStart < 0)
    fail(
      `its trace adds ${reservedDelta} reserved bytes, more than its segments hold at the end (${reservedEnd})`,
    );

  // the replay; `upTo` stops after that many events, for the blocks live at the peak
  const replay = (
    upTo: number,
    each?: (index: number, e: Entry | null, alloc: number, res: number) => void,
  ) => {
    const live = new Map(initial);
    let alloc = [...initial.values()].reduce((n, b) => n + b.size, 0);
    let res = reservedStart;
    each?.(0, null, alloc, res);
    for (let k = 0; k < upTo; k++) {
      const e = trace[k]!;
      if (e.action === 'alloc') {
        const prev = live.get(e.addr);
        if (prev) alloc -= prev.size;
        const size = roundSize(e.size, rounding);
        live.set(e.addr, { size, frames: e.frames });
        alloc += size;
      } else if (e.action === 'free_completed') {
        const prev = live.get(e.addr);
        if (prev) alloc -= prev.size;
        live.delete(e.addr);
      } else if (e.action === 'segment_alloc' || e.action === 'segment_map') res += e.size;
      else if (e.action === 'segment_free' || e.action === 'segment_unmap') res -= e.size;
      each?.(k + 1, e, alloc, res);
    }
    return live;
  };

  const points: TorchSnapshotSummary['timeline'] = [];
  let peakAlloc = -1;
  let peakAt = 0;
  let peakRes = 0;
  replay(trace.length, (index, e, alloc, res) => {
    points.push({ index, timeUs: e?.timeUs ?? null, allocatedBytes: alloc, reservedBytes: res });
    if (alloc > peakAlloc) {
      peakAlloc = alloc;
      peakAt = index;
    }
    if (res > peakRes) peakRes = res;
  });
  if (trace.length === 0) {
    // segments only: the state at the end
    points[0] = { index: 0, timeUs: null, allocatedBytes: peakAlloc, reservedBytes: reservedEnd };
    peakRes = reservedEnd;
  }
  const largestAtPeak = [...replay(peakAt).values()]
    .sort((a, b) => b.size - a.size)
    .slice(0, TOP_BLOCKS)
    .map((b) => ({ size: b.size, frame: frameText(b.frames) }));

  return {
    device,
    peakAllocatedBytes: peakAlloc,
    peakReservedBytes: peakRes,
    events: trace.length,
    timeline: downsample(points, peakAt),
    largestAtPeak,
  };
}

/** At most MAX_POINTS points: per bucket the one of most allocated bytes, and the first, last and peak. */
function downsample<T extends { index: number; allocatedBytes: number }>(points: T[], peakAt: number): T[] {
  if (points.length <= MAX_POINTS) return points;
  const buckets = MAX_POINTS - 3;
  const keep = new Set<number>([0, points.length - 1, peakAt]);
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * points.length) / buckets);
    const hi = Math.floor(((b + 1) * points.length) / buckets);
    let best = lo;
    for (let k = lo + 1; k < hi; k++) if (points[k]!.allocatedBytes > points[best]!.allocatedBytes) best = k;
    if (hi > lo) keep.add(best);
  }
  return [...keep].sort((a, b) => a - b).map((k) => points[k]!);
}
