/** ReLU. Saves its output y, as PyTorch does (y > 0 exactly where x > 0); gradient Where(y > 0, dy, 0). */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { greater } from './greater';
import type { OpDef } from './types';
import { unaryInfer } from './util';
import { where } from './where';

export const Relu: OpDef = {
  opType: 'Relu',
  infer: (inputs) => unaryInfer('Relu', inputs),
  saves: { inputs: [], outputs: [0] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null];
    const { g } = ctx;
    const zero = g.scalar(ctx.inputInfo(0).dtype, 0, 'zero');
    return [where(g, greater(g, ctx.output(0), zero), dy, zero)];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function relu(g: Graph, x: string, label?: string): string {
  return g.add1(Relu, [x], NO_ATTRS, label);
}
