/** Shape arithmetic over symbolic dimensions. */
import type { Dim, DType, Shape } from './types';

const BYTES: Record<DType, number> = { f16: 2, f32: 4, f64: 8, i64: 8, bool: 1 };

export function dtypeBytes(dtype: DType): number {
  return BYTES[dtype];
}

export function resolveDim(dim: Dim, batch: number): number {
  return dim === 'B' ? batch : dim;
}

export function resolveShape(shape: Shape, batch: number): number[] {
  return shape.map((d) => resolveDim(d, batch));
}

export function numel(shape: Shape, batch: number): number {
  return resolveShape(shape, batch).reduce((a, b) => a * b, 1);
}

export function tensorBytes(shape: Shape, dtype: DType, batch: number): number {
  return numel(shape, batch) * dtypeBytes(dtype);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Numpy-style broadcast of two shapes; throws when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape): Dim[] {
  const rank = Math.max(a.length, b.length);
  // A copy of the longer shape, overwritten: an array of its exact size (shapes are kept).
  const out: Dim[] = (a.length >= b.length ? a : b).slice();
  // Leading axes missing from the shorter shape are 1 (indexed explicitly: a negative index would
  // be a slow property look-up, and this runs for every elementwise node built).
  const offA = rank - a.length;
  const offB = rank - b.length;
  for (let i = 0; i < rank; i++) {
    const da = i >= offA ? (a[i - offA] ?? 1) : 1;
    const db = i >= offB ? (b[i - offB] ?? 1) : 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else throw new Error(`cannot broadcast ${formatShape(a)} with ${formatShape(b)}`);
  }
  return out;
}

/** Normalises a possibly negative axis against a rank. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}
