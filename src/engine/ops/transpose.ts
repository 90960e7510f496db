/** Transpose: materialises a permuted copy. Its gradient is the inverse permutation. */
import type { Graph } from '../graph/graph';
import { ints } from '../graph/types';
import type { OpDef } from './types';
import { arity, attrInts } from './util';

export const Transpose: OpDef = {
  opType: 'Transpose',
  infer(inputs, attrs) {
    const [x] = arity('Transpose', inputs, 1);
    const perm = attrInts(attrs, 'perm');
    if (perm.length !== x!.shape.length || [...perm].sort().some((p, i) => p !== i)) {
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
