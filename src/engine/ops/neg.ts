/** Neg: elementwise negation. */
import type { Graph } from '../graph/graph';
import type { OpDef } from './types';
import { arity } from './util';

export const Neg: OpDef = {
  opType: 'Neg',
  infer(inputs) {
    const [x] = arity('Neg', inputs, 1);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? neg(ctx.g, dy) : null];
  },
};

export function neg(g: Graph, x: string, label?: string): string {
  return g.add1(Neg, [x], {}, label);
}
