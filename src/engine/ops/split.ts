/** Split (opset 13+: sizes as an input). Gradient: Concat of the outputs' gradients. */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import { concat } from './concat';
import { expand } from './expand';
import type { OpDef } from './types';
import { arity, attrInt, constNumbers } from './util';

export const Split: OpDef = {
  opType: 'Split',
  infer(inputs, attrs) {
    const [x, sizesT] = arity('Split', inputs, 2);
    const axis = normAxis(attrInt(attrs, 'axis'), x!.shape.length);
    const sizes = constNumbers(sizesT, 'Split sizes');
    if (sizes.reduce((a, b) => a + b, 0) !== x!.shape[axis]) {
      throw new Error(`Split: sizes ${sizes.join('+')} do not add up to ${x!.shape[axis]}`);
    }
    return sizes.map((s) => ({ shape: x!.shape.map((d, i) => (i === axis ? s : d)), dtype: x!.dtype }));
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const { g } = ctx;
    const grads = ctx.node.outputs.map((name, i) => {
      const dy = ctx.dy(i);
      if (dy) return dy;
      const info = g.info(name);
      return expand(g, g.scalar(info.dtype, 0, 'zero'), info.shape);
    });
    return [concat(g, grads, attrInt(ctx.node.attrs, 'axis')), null];
  },
  ort: { cpuInputs: [1], transposeOptimizer: 'pushable' },
};

export function split(g: Graph, x: string, axis: number, sizes: readonly number[], label?: string): string[] {
  return g.add(Split, [x, g.intsConst(sizes, 'split')], { axis: int(axis) }, label);
}
