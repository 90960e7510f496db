/** ReduceSum (opset 13+: axes as an input). Gradient: broadcast the incoming gradient back. */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { type Dim, int } from '../graph/types';
import { expand } from './expand';
import { reshape } from './reshape';
import { REDUCTION_KERNEL } from './reductionKernel';
import type { OpDef } from './types';
import { arity, attrInt, constNumbers } from './util';

/** The shape of `shape` reduced over `axes`, keeping reduced axes as 1 or dropping them. */
export function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const norm = axes.map((a) => normAxis(a, shape.length));
  if (keepdims) {
    // A copy overwritten, of its exact size (shapes are kept; a grown array has room to spare).
    const out: Dim[] = shape.slice();
    for (const a of norm) out[a] = 1;
    return out;
  }
  return shape.filter((_, i) => !norm.includes(i));
}

export const ReduceSum: OpDef = {
  opType: 'ReduceSum',
  infer(inputs, attrs) {
    const [x, axesT] = arity('ReduceSum', inputs, 2);
    const axes = constNumbers(axesT, 'ReduceSum axes');
    return [{ shape: reducedShape(x!.shape, axes, attrInt(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    const x = ctx.inputInfo(0);
    const axesT = ctx.g.info(ctx.node.inputs[1]!);
    const kept = reducedShape(x.shape, constNumbers(axesT, 'ReduceSum axes'), true);
    const dyKept = attrInt(ctx.node.attrs, 'keepdims', 1) === 1 ? dy : reshape(ctx.g, dy, kept);
    return [expand(ctx.g, dyKept, x.shape), null];
  },
  ort: REDUCTION_KERNEL,
};

export function reduceSum(
  g: Graph,
  x: string,
  axes: readonly number[],
  keepdims: boolean,
  label?: string,
): string {
  return g.add1(ReduceSum, [x, g.intsConst(axes, 'axes')], { keepdims: int(keepdims ? 1 : 0) }, label);
}
