/** Reshape: an alias in onnxruntime (no allocation). Its gradient reshapes back. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS, type Dim } from '../graph/types';
import type { OpDef } from './types';
import { arity, constInts } from './util';

/** Symbolic element count: the batch factor and the static rest. */
function count(shape: readonly Dim[]): { batch: number; rest: number } {
  let batch = 0;
  let rest = 1;
  for (const d of shape) {
    if (d === 'B') batch++;
    else rest *= d;
  }
  return { batch, rest };
}

export const Reshape: OpDef = {
  opType: 'Reshape',
  infer(inputs) {
    const [x, shapeT] = arity('Reshape', inputs, 2);
    const target = constInts(shapeT, 'Reshape shape');
    if (target.some((d) => d !== 'B' && d <= 0))
      throw new Error('Reshape: use explicit dims (B for the batch)');
    const a = count(x!.shape);
    const b = count(target);
    if (a.batch !== b.batch || a.rest !== b.rest) {
      throw new Error(`Reshape: [${x!.shape.join(',')}] cannot become [${target.join(',')}]`);
    }
    return [{ shape: target, dtype: x!.dtype }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? reshape(ctx.g, dy, ctx.inputInfo(0).shape) : null, null];
  },
  ort: { alias: true, cpuInputs: [1], transposeOptimizer: 'reshape' },
};

export function reshape(g: Graph, x: string, shape: readonly Dim[], label?: string): string {
  return g.add1(Reshape, [x, g.intsConst(shape, 'shape')], NO_ATTRS, label);
}
