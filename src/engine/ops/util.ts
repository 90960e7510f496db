/** Small helpers shared by op modules: reading constant inputs and attributes, checking inputs. */
import type { Attr, Attrs, Dim, TensorInfo } from '../graph/types';

export function constInts(t: TensorInfo | undefined, what: string): readonly Dim[] {
  if (!t || t.kind !== 'const' || t.value?.kind !== 'ints') {
    throw new Error(`${what} must be an int64 constant`);
  }
  return t.value.values;
}

/** A constant int list that may not mention the batch (axes, split sizes). */
export function constNumbers(t: TensorInfo | undefined, what: string): number[] {
  return constInts(t, what).map((d) => {
    if (d === 'B') throw new Error(`${what} cannot depend on the batch size`);
    return d;
  });
}

export function attrInt(attrs: Attrs, key: string, fallback?: number): number {
  const a: Attr | undefined = attrs[key];
  if (a === undefined) {
    if (fallback === undefined) throw new Error(`missing attribute ${key}`);
    return fallback;
  }
  if (a.type !== 'int') throw new Error(`attribute ${key} must be an int`);
  return a.value;
}

export function attrInts(attrs: Attrs, key: string): readonly number[] {
  const a = attrs[key];
  if (a?.type !== 'ints') throw new Error(`attribute ${key} must be a list of ints`);
  return a.value;
}

export function attrString(attrs: Attrs, key: string): string {
  const a = attrs[key];
  if (a?.type !== 'string') throw new Error(`attribute ${key} must be a string`);
  return a.value;
}

export function arity(opType: string, inputs: readonly TensorInfo[], n: number): readonly TensorInfo[] {
  if (inputs.length !== n) throw new Error(`${opType} takes ${n} inputs, got ${inputs.length}`);
  return inputs;
}

export function sameDtype(opType: string, a: TensorInfo, b: TensorInfo): void {
  if (a.dtype !== b.dtype) throw new Error(`${opType}: dtype mismatch ${a.dtype} vs ${b.dtype}`);
}

import { broadcastShapes } from '../graph/shape';
import type { OutputSpec } from './types';

/** Output of an elementwise unary op: the input's shape and dtype. */
export function unaryInfer(opType: string, inputs: readonly TensorInfo[]): OutputSpec[] {
  const [x] = arity(opType, inputs, 1);
  return [{ shape: x!.shape, dtype: x!.dtype }];
}

/** Output of a broadcasting elementwise binary op. */
export function broadcastInfer(opType: string, inputs: readonly TensorInfo[]): OutputSpec[] {
  const [a, b] = arity(opType, inputs, 2);
  sameDtype(opType, a!, b!);
  return [{ shape: broadcastShapes(a!.shape, b!.shape), dtype: a!.dtype }];
}
