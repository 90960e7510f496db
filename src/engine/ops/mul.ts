/** Mul with broadcasting. Saves both operands: each one's gradient needs the other. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Mul: OpDef = {
  opType: 'Mul',
  infer: (inputs) => broadcastInfer('Mul', inputs),
  saves: { inputs: [0, 1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    return [0, 1].map((i) =>
      ctx.needs(i) ? sumToShape(ctx.g, mul(ctx.g, dy, ctx.input(1 - i)), ctx.inputInfo(i).shape) : null,
    );
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function mul(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Mul, [a, b], NO_ATTRS, label);
}
