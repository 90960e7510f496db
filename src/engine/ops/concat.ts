/** Concat along an axis. Gradient: Split into the inputs' sizes. */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import type { OpDef } from './types';
import { attrInt } from './util';

export const Concat: OpDef = {
  opType: 'Concat',
  infer(inputs, attrs) {
    const first = inputs[0];
    if (!first) throw new Error('Concat needs at least one input');
    const axis = normAxis(attrInt(attrs, 'axis'), first.shape.length);
    let total = 0;
    for (const t of inputs) {
      const d = t.shape[axis];
      if (typeof d !== 'number') throw new Error('Concat: cannot concatenate along the batch axis');
      if (t.shape.some((e, i) => i !== axis && e !== first.shape[i]))
        throw new Error('Concat: shapes differ');
      total += d;
    }
    return [{ shape: first.shape.map((d, i) => (i === axis ? total : d)), dtype: first.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    const n = ctx.node.inputs.length;
    if (!dy) return Array<null>(n).fill(null);
    const axis = attrInt(ctx.node.attrs, 'axis');
    const sizes = ctx.node.inputs.map((_, i) => ctx.inputInfo(i).shape.at(axis) as number);
    return ctx.build.split(ctx.g, dy, axis, sizes);
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function concat(g: Graph, xs: readonly string[], axis: number, label?: string): string {
  return g.add1(Concat, xs, { axis: int(axis) }, label);
}
