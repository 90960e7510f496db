/**
 * Split and Concat trees: a tensor split into many pieces, or many pieces concatenated, by nodes
 * of at most MAX_PIECES pieces each. One kernel binds its input and all its outputs (or all its
 * inputs and its output) as storage buffers, and WebGPU grants
 * WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage of them by default (onnxruntime fails a
 * Split into 8). Up to MAX_PIECES pieces the tree is one node; past it, each level splits into at
 * most MAX_PIECES runs of near-equal length. Used by chunked attention (strategies/chunked.ts)
 * and the chunked loss (chunkedLinearCrossEntropy.ts). Not ops: helpers that build several nodes.
 */
import type { Graph } from '../graph/graph';
import { WEBGPU_DEFAULT_LIMITS } from '../vocabulary';
import { concat } from './concat';
import { split } from './split';

/** The most pieces one Split or Concat takes: the tensor on its other side uses one binding. */
export const MAX_PIECES = WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage - 1;

/**
 * `items` in at most MAX_PIECES consecutive runs of near-equal length (the longer runs first), or
 * one item per run when there are no more than MAX_PIECES.
 */
export function runs<T>(items: readonly T[]): T[][] {
  const n = Math.min(items.length, MAX_PIECES);
  const base = Math.floor(items.length / n);
  const longer = items.length % n;
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const len = base + (i < longer ? 1 : 0);
    out.push(items.slice(start, start + len));
    start += len;
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** `x` split along `axis` into pieces of `sizes`, by Splits of at most MAX_PIECES outputs. */
export function splitTree(
  g: Graph,
  x: string,
  axis: number,
  sizes: readonly number[],
  label: string,
): string[] {
  if (sizes.length === 1) return [x];
  if (sizes.length <= MAX_PIECES) return split(g, x, axis, sizes, label);
  const groups = runs(sizes);
  const parts = split(g, x, axis, groups.map(sum), `${label}_groups`);
  return groups.flatMap((group, i) => splitTree(g, parts[i]!, axis, group, label));
}

/** `xs` concatenated along `axis`, by Concats of at most MAX_PIECES inputs. */
export function concatTree(
  g: Graph,
  xs: readonly string[],
  axis: number,
  label: string,
  groupLabel = `${label}_groups`,
): string {
  if (xs.length === 1) return xs[0]!;
  if (xs.length <= MAX_PIECES) return concat(g, xs, axis, label);
  const groups = runs(xs).map((group) => concatTree(g, group, axis, groupLabel, groupLabel));
  return concat(g, groups, axis, label);
}

/**
 * `count` pieces made by `make(i)`, concatenated along `axis` by Concats of at most MAX_PIECES
 * inputs, each Concat built as soon as its pieces are: onnxruntime visits a node's inputs in the
 * order they were built, so the pieces are then computed in order 0, 1, 2... (concatTree builds
 * the group Concats after every piece, so its first group would be computed last).
 */
export function concatInOrder(
  g: Graph,
  count: number,
  make: (i: number) => string,
  axis: number,
  label: string,
): string {
  const build = (items: readonly number[], name: string): string => {
    if (items.length === 1) return make(items[0]!);
    if (items.length <= MAX_PIECES) return concat(g, items.map(make), axis, name);
    return concat(
      g,
      runs(items).map((group) => build(group, `${label}_groups`)),
      axis,
      name,
    );
  };
  return build(
    Array.from({ length: count }, (_, i) => i),
    label,
  );
}
