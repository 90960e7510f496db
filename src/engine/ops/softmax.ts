/** Softmax (opset 13). Saves its output p; gradient p * (dp - sum(dp * p)). */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import { mul } from './mul';
import { reduceSum } from './reduceSum';
import { sub } from './sub';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

export const Softmax: OpDef = {
  opType: 'Softmax',
  infer(inputs, attrs) {
    const [x] = arity('Softmax', inputs, 1);
    normAxis(attrInt(attrs, 'axis', -1), x!.shape.length);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [0] },
  grad(ctx) {
    const dp = ctx.dy(0);
    if (!dp) return [null];
    const { g } = ctx;
    const p = ctx.output(0);
    const axis = attrInt(ctx.node.attrs, 'axis', -1);
    const dot = reduceSum(g, mul(g, dp, p), [axis], true);
    return [mul(g, p, sub(g, dp, dot))];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function softmax(g: Graph, x: string, axis = -1, label?: string): string {
  return g.add1(Softmax, [x], { axis: int(axis) }, label);
}
