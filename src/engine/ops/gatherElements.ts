/**
 * GatherElements: out[..., i, ...] = data[..., indices[..., i, ...], ...] along one axis, indices
 * int64 of data's rank. Saves the indices; the data's gradient scatters dy back into zeros with
 * ScatterElements (reduction 'add', so repeated indices accumulate). Both run on WebGPU.
 */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import { expand } from './expand';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

export const GatherElements: OpDef = {
  opType: 'GatherElements',
  infer(inputs, attrs) {
    const [data, indices] = arity('GatherElements', inputs, 2);
    if (indices!.dtype !== 'i64') throw new Error('GatherElements: indices must be i64');
    if (indices!.shape.length !== data!.shape.length)
      throw new Error('GatherElements: indices must have the data rank');
    normAxis(attrInt(attrs, 'axis', 0), data!.shape.length);
    return [{ shape: indices!.shape, dtype: data!.dtype }];
  },
  saves: { inputs: [1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy || !ctx.needs(0)) return [null, null];
    const { g } = ctx;
    const data = ctx.inputInfo(0);
    const zeros = expand(g, g.scalar(data.dtype, 0, 'zero'), data.shape, 'Zeros');
    const axis = attrInt(ctx.node.attrs, 'axis', 0);
    return [ctx.build.scatterElements(g, zeros, ctx.input(1), dy, axis, 'add'), null];
  },
};

export function gatherElements(
  g: Graph,
  data: string,
  indices: string,
  axis: number,
  label?: string,
): string {
  return g.add1(GatherElements, [data, indices], { axis: int(axis) }, label);
}
