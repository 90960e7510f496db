/** Transpose: materialises a permuted copy. Its gradient is the inverse permutation. */
import type { Graph } from '../graph/graph';
import { ints } from '../graph/types';
import type { OpDef } from './types';
import { arity, attrInts } from './util';

/**
 * Whether `perm` orders 0..n-1. Up to 10 axes: the check this replaces sorted the axes as strings
 * ('10' before '2'), which refused any longer one, and still does (no graph has such ranks).
 */
function isPermutation(perm: readonly number[]): boolean {
  if (perm.length > 10) return false;
  let seen = 0;
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= perm.length || seen & (1 << p)) return false;
    seen |= 1 << p;
  }
  return true;
}

export const Transpose: OpDef = {
  opType: 'Transpose',
  infer(inputs, attrs) {
    const [x] = arity('Transpose', inputs, 1);
    const perm = attrInts(attrs, 'perm');
    if (perm.length !== x!.shape.length || !isPermutation(perm)) {
      throw new Error(`Transpose: perm [${perm.join(',')}] is not a permutation of rank ${x!.shape.length}`);
    }
    return [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null];
    const perm = attrInts(ctx.node.attrs, 'perm');
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(ctx.g, dy, inverse)];
  },
  ort: { transposeOptimizer: 'transpose' },
};

export function transpose(g: Graph, x: string, perm: readonly number[], label?: string): string {
  return g.add1(Transpose, [x], { perm: ints(perm) }, label);
}
