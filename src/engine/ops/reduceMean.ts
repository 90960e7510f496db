/** ReduceMean (opset 17: axes as an attribute; none means all). Gradient: broadcast back, divided by the count. */
import type { Graph } from '../graph/graph';
import { type Dim, int, ints } from '../graph/types';
import { expand } from './expand';
import { mul } from './mul';
import { reducedShape } from './reduceSum';
import { reshape } from './reshape';
import { REDUCTION_KERNEL } from './reductionKernel';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

function axesOf(rank: number, attr: readonly number[] | undefined): number[] {
  return attr ? [...attr] : Array.from({ length: rank }, (_, i) => i);
}

export const ReduceMean: OpDef = {
  opType: 'ReduceMean',
  infer(inputs, attrs) {
    const [x] = arity('ReduceMean', inputs, 1);
    const a = attrs['axes'];
    const axes = axesOf(x!.shape.length, a?.type === 'ints' ? a.value : undefined);
    return [{ shape: reducedShape(x!.shape, axes, attrInt(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null];
    const x = ctx.inputInfo(0);
    const a = ctx.node.attrs['axes'];
    const axes = axesOf(x.shape.length, a?.type === 'ints' ? a.value : undefined);
    const kept = reducedShape(x.shape, axes, true);
    const dyKept = attrInt(ctx.node.attrs, 'keepdims', 1) === 1 ? dy : reshape(ctx.g, dy, kept);
    const reduced: Dim[] = axes.map((i) => x.shape[i]!);
    const inverseCount = ctx.g.constant(
      x.dtype,
      [],
      {
        kind: 'floats',
        values: (batch) => [1 / reduced.reduce<number>((n, d) => n * (d === 'B' ? batch : d), 1)],
      },
      'inv_count',
    );
    return [mul(ctx.g, expand(ctx.g, dyKept, x.shape), inverseCount)];
  },
  ort: REDUCTION_KERNEL,
};

export function reduceMean(
  g: Graph,
  x: string,
  axes: readonly number[] | null,
  keepdims: boolean,
  label?: string,
): string {
  const keepdim = int(keepdims ? 1 : 0);
  return g.add1(
    ReduceMean,
    [x],
    axes ? { keepdims: keepdim, axes: ints(axes) } : { keepdims: keepdim },
    label,
  );
}
