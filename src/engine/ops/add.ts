/** Add with broadcasting. Gradient: the incoming gradient, summed to each operand's shape. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Add: OpDef = {
  opType: 'Add',
  infer: (inputs) => broadcastInfer('Add', inputs),
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    return [0, 1].map((i) => (ctx.needs(i) ? sumToShape(ctx.g, dy, ctx.inputInfo(i).shape) : null));
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function add(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Add, [a, b], NO_ATTRS, label);
}
