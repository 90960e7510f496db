/**
 * ScatterElements (opset 16+: `reduction`): a copy of data with updates written (reduction
 * 'none') or added ('add': repeated indices accumulate; on WebGPU through atomic adds, so the
 * order of the additions, and the last bits of a sum, may vary between runs) at int64 indices
 * along one axis. Saves the indices. Gradients: data gets dy ('add') or dy with the written
 * positions zeroed ('none'); updates get GatherElements(dy, indices) (for 'none' that assumes
 * distinct indices, as the op itself is then order-dependent).
 */
import type { Graph } from '../graph/graph';
import { normAxis, sameShape } from '../graph/shape';
import { int, str } from '../graph/types';
import { expand } from './expand';
import { gatherElements } from './gatherElements';
import type { OpDef } from './types';
import { arity, attrInt, sameDtype } from './util';

export type ScatterReduction = 'none' | 'add';

function reductionOf(attrs: Parameters<OpDef['infer']>[1]): ScatterReduction {
  const r = attrs['reduction'];
  const value = r?.type === 'string' ? r.value : 'none';
  if (value !== 'none' && value !== 'add') throw new Error(`ScatterElements: reduction ${value} unsupported`);
  return value;
}

export const ScatterElements: OpDef = {
  opType: 'ScatterElements',
  infer(inputs, attrs) {
    const [data, indices, updates] = arity('ScatterElements', inputs, 3);
    if (indices!.dtype !== 'i64') throw new Error('ScatterElements: indices must be i64');
    sameDtype('ScatterElements', data!, updates!);
    if (!sameShape(indices!.shape, updates!.shape))
      throw new Error('ScatterElements: indices and updates differ in shape');
    if (indices!.shape.length !== data!.shape.length)
      throw new Error('ScatterElements: indices must have the data rank');
    normAxis(attrInt(attrs, 'axis', 0), data!.shape.length);
    reductionOf(attrs);
    return [{ shape: data!.shape, dtype: data!.dtype }];
  },
  saves: { inputs: [1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null, null];
    const { g } = ctx;
    const axis = attrInt(ctx.node.attrs, 'axis', 0);
    const indices = ctx.input(1);
    let dData: string | null = null;
    if (ctx.needs(0)) {
      if (reductionOf(ctx.node.attrs) === 'add') dData = dy;
      else {
        const u = ctx.inputInfo(2);
        const zeros = expand(g, g.scalar(u.dtype, 0, 'zero'), u.shape, 'Zeros');
        dData = scatterElements(g, dy, indices, zeros, axis, 'none');
      }
    }
    const dUpdates = ctx.needs(2) ? gatherElements(g, dy, indices, axis) : null;
    return [dData, null, dUpdates];
  },
  ort: { mayInplace: [[0, 0]] },
};

export function scatterElements(
  g: Graph,
  data: string,
  indices: string,
  updates: string,
  axis: number,
  reduction: ScatterReduction = 'none',
  label?: string,
): string {
  return g.add1(
    ScatterElements,
    [data, indices, updates],
    { axis: int(axis), reduction: str(reduction) },
    label,
  );
}
