/**
 * Div with broadcasting. Saves both operands (as PyTorch does): da = dy / b,
 * db = -(dy / b) * a / b, each summed to its operand's shape.
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { mul } from './mul';
import { neg } from './neg';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Div: OpDef = {
  opType: 'Div',
  infer: (inputs) => broadcastInfer('Div', inputs),
  saves: { inputs: [0, 1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    const { g } = ctx;
    const b = ctx.input(1);
    const q = div(g, dy, b);
    const da = ctx.needs(0) ? sumToShape(g, q, ctx.inputInfo(0).shape) : null;
    const db = ctx.needs(1)
      ? sumToShape(g, neg(g, div(g, mul(g, q, ctx.input(0)), b)), ctx.inputInfo(1).shape)
      : null;
    return [da, db];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function div(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Div, [a, b], NO_ATTRS, label);
}
