/**
 * The peak index of a plan: buffers grouped into size classes (same perBatch·B + fixed), each
 * step the vector of how many buffers of each class are live during it, and only the steps no
 * other step dominates kept, since only they can hold the peak at some batch.
 */
import { bufferBytes, type LinearBytes, type Liveness } from './liveness';
import { type Allocator } from '../vocabulary';

/** Size classes and the steps that can hold the peak. */
export interface PeakIndex {
  classes: LinearBytes[];
  /** Class of each buffer, or -1 when its size does not depend on the batch. */
  classOf: Int32Array;
  /** Batch-independent bytes of each such buffer. */
  fixedOf: Float64Array;
  largestFixed: number;
  /** Classes whose buffer size is not exactly perBatch·B + fixed under this allocator. */
  rounded: Int32Array;
  /** Candidate steps, ascending. */
  steps: Int32Array;
  /** Per candidate: exact bytes perBatch·B + fixed summed over its live buffers... */
  slope: Float64Array;
  intercept: Float64Array;
  /** ...plus, per rounded class, how many of its buffers are live (row-major). */
  roundedCounts: Int32Array;
}

export function buildPeakIndex(liveness: Liveness, allocator: Allocator): PeakIndex {
  const { table } = liveness;
  const n0 = table.count;
  // Buffers of one size share one LinearBytes (liveness.ts): one class per object, and one
  // rounding per batch-independent size.
  const keys = new Map<LinearBytes, number>();
  const fixedBytes = new Map<LinearBytes, number>();
  const classes: LinearBytes[] = [];
  const classOf = new Int32Array(n0).fill(-1);
  const fixedOf = new Float64Array(n0);
  for (let id = 0; id < n0; id++) {
    const bytes = table.bytes[id]!;
    if (table.resident[id]) {
      fixedOf[id] = bufferBytes(bytes, 1, allocator, true);
      continue;
    }
    if (bytes.perBatch === 0) {
      let f = fixedBytes.get(bytes);
      if (f === undefined) fixedBytes.set(bytes, (f = bufferBytes(bytes, 1, allocator)));
      fixedOf[id] = f;
      continue;
    }
    let k = keys.get(bytes);
    if (k === undefined) {
      k = classes.length;
      keys.set(bytes, k);
      classes.push(bytes);
    }
    classOf[id] = k;
  }
  const K = classes.length;
  const { rowStep, rowCounts, rowFixed } = stepRows(liveness, classOf, fixedOf, K);
  const n = rowStep.length;

  // Keep the rows that can hold the peak: drop a row when another has at least as many bytes at
  // every batch and wins ties with it (it is earlier, as the walk keeps the earlier step, or has
  // strictly more bytes at every batch). Visiting rows by decreasing bytes at batch 1 puts such a
  // row first; rows visited later are checked against the rows kept so far.
  const weight = classes.map((c) => bufferBytes(c, 1, allocator));
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = rowFixed[i]!;
    for (let k = 0; k < K; k++) v += rowCounts[i * K + k]! * weight[k]!;
    key[i] = v;
  }
  const { atLeast, total } = dominanceCounts(classes, rowCounts, n);
  const byKey = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || a - b);
  const kept: number[] = [];
  for (const i of byKey) {
    const dominated = kept.some((j) => {
      if (rowFixed[j]! < rowFixed[i]!) return false;
      for (let k = 0; k < K; k++) if (atLeast[j * K + k]! < atLeast[i * K + k]!) return false;
      return j < i || rowFixed[j]! > rowFixed[i]! || total[j]! > total[i]!;
    });
    if (!dominated) kept.push(i);
  }
  kept.sort((a, b) => a - b);

  const exact = (c: LinearBytes) => allocator === 'lazy' && c.perBatch % 16 === 0 && c.fixed % 16 === 0;
  const rounded = Int32Array.from(classes.flatMap((c, k) => (exact(c) ? [] : [k])));
  const R = rounded.length;
  const slope = new Float64Array(kept.length);
  const intercept = new Float64Array(kept.length);
  const roundedCounts = new Int32Array(kept.length * R);
  kept.forEach((i, row) => {
    let a = 0;
    let b = rowFixed[i]!;
    for (let k = 0; k < K; k++) {
      const count = rowCounts[i * K + k]!;
      a += count * classes[k]!.perBatch;
      b += count * classes[k]!.fixed;
    }
    slope[row] = a;
    intercept[row] = b;
    for (let r = 0; r < R; r++) roundedCounts[row * R + r] = rowCounts[i * K + rounded[r]!]!;
  });
  return {
    classes,
    classOf,
    fixedOf,
    largestFixed: fixedOf.reduce((a, b) => Math.max(a, b), 0),
    rounded,
    steps: Int32Array.from(kept, (i) => rowStep[i]!),
    slope,
    intercept,
    roundedCounts,
  };
}

/**
 * What the dominance test compares, per row: with the classes in a chain (each class's buffers at
 * least as large as the next class's at every batch, which holds when every class's fixed part is
 * equal, as for every batch-dependent tensor: perBatch·B), how many live buffers are at least as
 * large as each class: a row with at least as many of those for every class, and as many
 * batch-independent bytes, has at least as many bytes at every batch under any rounding that keeps
 * the order of sizes (both allocators'): the buffers of the other can be matched one-to-one to
 * buffers of its own no smaller. Otherwise, the counts per class themselves. `total`: buffers live.
 */
function dominanceCounts(
  classes: readonly LinearBytes[],
  rowCounts: Int32Array,
  n: number,
): { atLeast: Int32Array; total: Int32Array } {
  const K = classes.length;
  const order = Array.from({ length: K }, (_, k) => k).sort(
    (a, b) => classes[b]!.perBatch - classes[a]!.perBatch || classes[b]!.fixed - classes[a]!.fixed,
  );
  const chain = order.every((k, m) => m === 0 || classes[order[m - 1]!]!.fixed >= classes[k]!.fixed);
  const atLeast = new Int32Array(n * K);
  const total = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let m = 0; m < K; m++) {
      const k = order[m]!;
      const count = rowCounts[i * K + k]!;
      sum += count;
      atLeast[i * K + (chain ? m : k)] = chain ? sum : count;
    }
    total[i] = sum;
  }
  return { atLeast, total };
}

/**
 * The steps as rows of live buffers per class plus batch-independent bytes, one row per run of
 * steps between which no batch-dependent buffer is allocated or freed: within such a run only
 * the batch-independent bytes change (the optimizer's update, casts of parameters), and the row
 * keeps its step with the most of them (the earliest on ties), which dominates the others.
 */
function stepRows(
  liveness: Liveness,
  classOf: Int32Array,
  fixedOf: Float64Array,
  K: number,
): { rowStep: Int32Array; rowCounts: Int32Array; rowFixed: Float64Array } {
  const { resident, table } = liveness;
  const { allocStart, allocIds, freeStart, freeIds } = table;
  const stepCount = allocStart.length - 1;
  const rowStep = new Int32Array(stepCount);
  const rowFixed = new Float64Array(stepCount);
  let rowCounts = new Int32Array(stepCount * K);
  const live = new Int32Array(K);
  let fixed = 0;
  for (const id of resident) fixed += fixedOf[id]!;
  let rows = 0;
  let changed = true;
  for (let i = 0; i < stepCount; i++) {
    for (let a = allocStart[i]!; a < allocStart[i + 1]!; a++) {
      const id = allocIds[a]!;
      const k = classOf[id]!;
      if (k >= 0) {
        live[k]!++;
        changed = true;
      } else fixed += fixedOf[id]!;
    }
    if (changed) {
      rowCounts.set(live, rows * K);
      rowStep[rows] = i;
      rowFixed[rows++] = fixed;
      changed = false;
    } else if (fixed > rowFixed[rows - 1]!) {
      rowStep[rows - 1] = i;
      rowFixed[rows - 1] = fixed;
    }
    for (let f = freeStart[i]!; f < freeStart[i + 1]!; f++) {
      const id = freeIds[f]!;
      const k = classOf[id]!;
      if (k >= 0) {
        live[k]!--;
        changed = true;
      } else fixed -= fixedOf[id]!;
    }
  }
  rowCounts = rowCounts.subarray(0, rows * K);
  return { rowStep: rowStep.subarray(0, rows), rowCounts, rowFixed: rowFixed.subarray(0, rows) };
}
