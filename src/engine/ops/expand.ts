/** Expand: broadcast to a shape (a real copy). Gradient: sum back to the input's shape. */
import type { Graph } from '../graph/graph';
import { broadcastShapes } from '../graph/shape';
import { NO_ATTRS, type Shape } from '../graph/types';
import type { OpDef } from './types';
import { arity, constInts } from './util';

export const Expand: OpDef = {
  opType: 'Expand',
  infer(inputs) {
    const [x, shapeT] = arity('Expand', inputs, 2);
    return [{ shape: broadcastShapes(x!.shape, constInts(shapeT, 'Expand shape')), dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? ctx.build.sumToShape(ctx.g, dy, ctx.inputInfo(0).shape) : null, null];
  },
  ort: { cpuInputs: [1] },
};

export function expand(g: Graph, x: string, shape: Shape, label?: string): string {
  return g.add1(Expand, [x, g.intsConst(shape, 'shape')], NO_ATTRS, label);
}
