/** Sub with broadcasting. Gradient: +dy for the left operand, -dy for the right. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { neg } from './neg';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Sub: OpDef = {
  opType: 'Sub',
  infer: (inputs) => broadcastInfer('Sub', inputs),
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    const da = ctx.needs(0) ? sumToShape(ctx.g, dy, ctx.inputInfo(0).shape) : null;
    const db = ctx.needs(1) ? neg(ctx.g, sumToShape(ctx.g, dy, ctx.inputInfo(1).shape)) : null;
    return [da, db];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function sub(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Sub, [a, b], NO_ATTRS, label);
}
