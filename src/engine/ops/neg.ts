/** Neg: elementwise negation. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Neg: OpDef = {
  opType: 'Neg',
  infer: (inputs) => unaryInfer('Neg', inputs),
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? neg(ctx.g, dy) : null];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function neg(g: Graph, x: string, label?: string): string {
  return g.add1(Neg, [x], NO_ATTRS, label);
}
