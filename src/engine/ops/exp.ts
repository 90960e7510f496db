/** Exp. Saves its output y; gradient dy * y. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { mul } from './mul';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Exp: OpDef = {
  opType: 'Exp',
  infer: (inputs) => unaryInfer('Exp', inputs),
  saves: { inputs: [], outputs: [0] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? mul(ctx.g, dy, ctx.output(0)) : null];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function exp(g: Graph, x: string, label?: string): string {
  return g.add1(Exp, [x], NO_ATTRS, label);
}
