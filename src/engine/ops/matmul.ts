/**
 * MatMul, batched or with a 2-D right operand (a Linear layer). A Linear layer's gradients are
 * Einsums (no Transpose of the weight); a batched MatMul's gradients multiply by materialised
 * transposes, as the op-for-op port does (the `copy` strategy).
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { einsum } from './einsum';
import { transpose } from './transpose';
import type { GradContext, OpDef } from './types';
import { arity, sameDtype } from './util';

const LEAD = 'pqrstu';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

function linearGrad(ctx: GradContext, dy: string): (string | null)[] {
  const lead = LEAD.slice(0, ctx.inputInfo(0).shape.length - 2);
  return [
    ctx.needs(0) ? einsum(ctx.g, `${lead}mn,kn->${lead}mk`, dy, ctx.input(1)) : null,
    ctx.needs(1) ? einsum(ctx.g, `${lead}mk,${lead}mn->kn`, ctx.input(0), dy) : null,
  ];
}

function batchedGrad(ctx: GradContext, dy: string): (string | null)[] {
  const rank = ctx.inputInfo(0).shape.length;
  const { g } = ctx;
  return [
    ctx.needs(0) ? matmul(g, dy, transpose(g, ctx.input(1), swapLast(rank), 'Transpose')) : null,
    ctx.needs(1) ? matmul(g, transpose(g, ctx.input(0), swapLast(rank), 'Transpose'), dy) : null,
  ];
}

export const MatMul: OpDef = {
  opType: 'MatMul',
  infer(inputs) {
    const [a, b] = arity('MatMul', inputs, 2);
    sameDtype('MatMul', a!, b!);
    const sa = a!.shape;
    const sb = b!.shape;
    if (sa.length < 2 || (sb.length !== 2 && sb.length !== sa.length)) {
      throw new Error(`MatMul: unsupported ranks ${sa.length} and ${sb.length}`);
    }
    if (sa[sa.length - 1] !== sb[sb.length - 2]) {
      throw new Error(`MatMul: inner dimensions differ: [${sa.join(',')}] x [${sb.join(',')}]`);
    }
    if (sb.length === sa.length && sa.slice(0, -2).some((d, i) => d !== sb[i])) {
      throw new Error(`MatMul: batch dimensions differ: [${sa.join(',')}] x [${sb.join(',')}]`);
    }
    return [{ shape: [...sa.slice(0, -1), sb[sb.length - 1]!], dtype: a!.dtype }];
  },
  saves: { inputs: [0, 1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    const linear = ctx.inputInfo(1).shape.length === 2 && ctx.inputInfo(0).shape.length > 2;
    return linear ? linearGrad(ctx, dy) : batchedGrad(ctx, dy);
  },
};

export function matmul(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(MatMul, [a, b], NO_ATTRS, label);
}
