/** Where(cond, x, y), e.g. the causal mask. Saves the condition; gradients route dy by it. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { broadcastShapes } from '../graph/shape';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { arity, sameDtype } from './util';

export const Where: OpDef = {
  opType: 'Where',
  infer(inputs) {
    const [c, x, y] = arity('Where', inputs, 3);
    if (c!.dtype !== 'bool') throw new Error('Where: the condition must be bool');
    sameDtype('Where', x!, y!);
    return [{ shape: broadcastShapes(c!.shape, broadcastShapes(x!.shape, y!.shape)), dtype: x!.dtype }];
  },
  saves: { inputs: [0], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null, null];
    const { g } = ctx;
    const zero = g.scalar(g.info(dy).dtype, 0, 'zero');
    const cond = ctx.input(0);
    return [
      null,
      ctx.needs(1) ? sumToShape(g, where(g, cond, dy, zero), ctx.inputInfo(1).shape) : null,
      ctx.needs(2) ? sumToShape(g, where(g, cond, zero, dy), ctx.inputInfo(2).shape) : null,
    ];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function where(g: Graph, cond: string, x: string, y: string, label?: string): string {
  return g.add1(Where, [cond, x, y], NO_ATTRS, label);
}
