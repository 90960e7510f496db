/**
 * Reserved bytes: what the GPU holds, live or cached, as onnxruntime-web 1.30's WebGPU EP manages
 * it (createBuffer .. destroy, the measured peakReservedBytes).
 *
 * Two layers of reuse:
 * 1. The allocation planner (batch-independent, computed once): a node output that is neither a
 *    graph output nor an alias takes the buffer of a tensor freed at an earlier step with the
 *    same shape and element size, most recently freed first (allocation_planner.cc,
 *    FindReusableTensor / SameSize); the buffer is handed back to the buffer manager only after
 *    the last tensor of such a chain dies. Kernel scratch buffers bypass the planner.
 * 2. The buffer manager (core/providers/webgpu/buffer_manager.cc): 'lazy' (lazyRelease) destroys a
 *    released buffer at the next flush, which comes every 16 dispatches; 'bucket' keeps it for
 *    the next request of the same bucket size (up to BUCKET_LIMITS per size, the rest are
 *    destroyed), at once: the measured runs fit an immediate return far better (52 of 72 points
 *    exact, all within 0.2%) than one deferred to the flush.
 * Checked against measured peakReservedBytes by scripts/plan-vs-measured.mjs.
 */
import { dtypeBytes } from '../graph/shape';
import { dispatchCount } from '../ops/index';
import { BUCKET_LIMITS, DISPATCHES_PER_FLUSH } from '../ort/bufferManager';
import { END, type Liveness } from './liveness';
import { type Allocator } from '../vocabulary';

/** Which buffers the buffer manager sees: the planner's allocations and when they go back. */
export interface Allocations {
  /** Per buffer: true when it asks the buffer manager for a buffer (not a planner reuse). */
  creates: Uint8Array;
  /** Per step: buffers handed back to the buffer manager after the step. */
  releases: number[][];
  /** Per step: dispatches its kernel issues. */
  dispatches: Int32Array;
  /**
   * The same, flat, for the walk at every batch: step i creates createdIds[createdStart[i] ..
   * createdStart[i + 1]) and releases releasedIds[releasedStart[i] .. releasedStart[i + 1]).
   */
  createdStart: Int32Array;
  createdIds: Int32Array;
  releasedStart: Int32Array;
  releasedIds: Int32Array;
}

/** Per-step lists as one flat array and where each step's run starts (CSR). */
function flatten(lists: readonly (readonly number[])[]): { start: Int32Array; ids: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (start[i + 1] = start[i]! + list.length));
  const ids = new Int32Array(start[lists.length]!);
  lists.forEach((list, i) => ids.set(list, start[i]!));
  return { start, ids };
}

/** The allocation planner's reuse chains (once per graph). */
export function allocations(l: Liveness): Allocations {
  const { buffers, steps, graph: g } = l;
  const creates = new Uint8Array(buffers.length);
  const releases: number[][] = steps.map(() => []);
  const dispatches = new Int32Array(steps.length);
  const keyOf = (id: number) => {
    const b = buffers[id]!;
    return `${dtypeBytes(b.dtype)}|${b.shape.join(',')}`;
  };
  /** Chain root (the buffer that owns the allocation) of every planned buffer. */
  const root = new Int32Array(buffers.length).fill(-1);
  const lastFree = new Map<number, number>();
  // Freed chain roots per key, most recently freed last: the planner takes the most recent one
  // of the same key (what a search of one list, most recent first, finds).
  const freed = new Map<string, number[]>();
  steps.forEach((s, i) => {
    if (s.node) dispatches[i] = dispatchCount(g, s.node.node, s.node.inputs);
    for (const id of s.allocs) {
      const b = buffers[id]!;
      const planned = i > 0 && !b.scratch && b.last !== END;
      const reusable = planned ? freed.get(keyOf(id)) : undefined;
      if (reusable?.length) {
        root[id] = reusable.pop()!;
      } else {
        creates[id] = 1;
        root[id] = id;
      }
      if (!planned && b.last !== END) lastFree.set(id, b.last);
    }
    for (const id of s.frees) {
      const b = buffers[id]!;
      if (b.scratch || b.first === 0) continue;
      const key = keyOf(id);
      const stack = freed.get(key);
      if (stack) stack.push(root[id]!);
      else freed.set(key, [root[id]!]);
      lastFree.set(root[id]!, i);
    }
  });
  for (const [id, step] of lastFree) releases[step]!.push(id);
  const created = flatten(steps.map((s) => s.allocs.filter((id) => creates[id])));
  const released = flatten(releases);
  return {
    creates,
    releases,
    dispatches,
    createdStart: created.start,
    createdIds: created.ids,
    releasedStart: released.start,
    releasedIds: released.ids,
  };
}

/** Peak reserved bytes at buffer sizes `sizes` (per buffer, already rounded by `allocator`). */
export function reservedPeak(
  l: Liveness,
  a: Allocations,
  sizes: Float64Array,
  allocator: Allocator,
  dispatchesPerFlush = allocator === 'lazy' ? DISPATCHES_PER_FLUSH : 0,
): number {
  if (allocator === 'lazy') return lazyReservedPeak(l, a, sizes, dispatchesPerFlush);
  const cache = new Map<number, number>();
  let pending: number[] = [];
  let reserved = 0;
  for (const id of l.resident) reserved += sizes[id]!;
  let peak = reserved;
  let dispatched = 0;
  const flush = () => {
    for (const size of pending) {
      const cached = cache.get(size) ?? 0;
      if (cached < (BUCKET_LIMITS.get(size) ?? 0)) cache.set(size, cached + 1);
      else reserved -= size;
    }
    pending = [];
    dispatched = 0;
  };
  l.steps.forEach((_, i) => {
    for (let j = a.createdStart[i]!; j < a.createdStart[i + 1]!; j++) {
      const size = sizes[a.createdIds[j]!]!;
      const cached = cache.get(size) ?? 0;
      if (cached > 0) cache.set(size, cached - 1);
      else reserved += size;
    }
    peak = Math.max(peak, reserved);
    dispatched += a.dispatches[i]!;
    if (dispatchesPerFlush > 0 && dispatched >= dispatchesPerFlush) flush();
    for (const id of a.releases[i]!) pending.push(sizes[id]!);
    if (dispatchesPerFlush === 0) flush();
  });
  return peak;
}

/**
 * reservedPeak under 'lazy', where a released buffer is never cached for reuse: every creation
 * adds its size, every flush takes back what was released before it. Flat loops, no map: a curve
 * runs this once per batch it samples.
 */
function lazyReservedPeak(
  l: Liveness,
  a: Allocations,
  sizes: Float64Array,
  dispatchesPerFlush: number,
): number {
  const { createdStart, createdIds, releasedStart, releasedIds, dispatches } = a;
  let reserved = 0;
  for (const id of l.resident) reserved += sizes[id]!;
  let peak = reserved;
  let dispatched = 0;
  let pending = 0;
  const n = l.steps.length;
  for (let i = 0; i < n; i++) {
    for (let j = createdStart[i]!; j < createdStart[i + 1]!; j++) reserved += sizes[createdIds[j]!]!;
    if (reserved > peak) peak = reserved;
    dispatched += dispatches[i]!;
    const flushNow = dispatchesPerFlush === 0 || dispatched >= dispatchesPerFlush;
    // A flush destroys what was released before it; this step's releases wait for the next one,
    // except where every step flushes (dispatchesPerFlush 0), which takes them at once.
    if (flushNow && dispatchesPerFlush > 0) {
      reserved -= pending;
      pending = 0;
      dispatched = 0;
    }
    for (let j = releasedStart[i]!; j < releasedStart[i + 1]!; j++) pending += sizes[releasedIds[j]!]!;
    if (dispatchesPerFlush === 0) {
      reserved -= pending;
      pending = 0;
      dispatched = 0;
    }
  }
  return peak;
}
