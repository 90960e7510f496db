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
  const { buffers } = liveness;
  const keys = new Map<string, number>();
  const classes: LinearBytes[] = [];
  const classOf = new Int32Array(buffers.length).fill(-1);
  const fixedOf = new Float64Array(buffers.length);
  for (const b of buffers) {
    if (b.resident || b.bytes.perBatch === 0) {
      fixedOf[b.id] = bufferBytes(b.bytes, 1, allocator, b.resident);
      continue;
    }
    const key = `${b.bytes.perBatch}|${b.bytes.fixed}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = classes.length;
      keys.set(key, k);
      classes.push(b.bytes);
    }
    classOf[b.id] = k;
  }
  const K = classes.length;
  const { rowStep, rowCounts, rowFixed } = stepRows(liveness, classOf, fixedOf, K);
  const n = rowStep.length;

  // Keep the rows no other row dominates (at least as many buffers of every class and as
  // many batch-independent bytes: at least as many bytes at every batch). Visiting rows by
  // decreasing bytes at batch 1 (every class weighs >= 16) puts a dominating row first; ties
  // keep the earlier step, as the walk does.
  const weight = classes.map((c) => bufferBytes(c, 1, allocator));
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = rowFixed[i]!;
    for (let k = 0; k < K; k++) v += rowCounts[i * K + k]! * weight[k]!;
    key[i] = v;
  }
  const byKey = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || a - b);
  const kept: number[] = [];
  for (const i of byKey) {
    const dominated = kept.some((j) => {
      if (rowFixed[j]! < rowFixed[i]!) return false;
      for (let k = 0; k < K; k++) if (rowCounts[j * K + k]! < rowCounts[i * K + k]!) return false;
      return true;
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
  const { steps, resident } = liveness;
  const rowStep = new Int32Array(steps.length);
  const rowFixed = new Float64Array(steps.length);
  let rowCounts = new Int32Array(steps.length * K);
  const live = new Int32Array(K);
  let fixed = 0;
  for (const id of resident) fixed += fixedOf[id]!;
  let rows = 0;
  let changed = true;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    for (const id of s.allocs) {
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
    for (const id of s.frees) {
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
