/**
 * ArgMax along one axis: int64 indices (the first maximum on ties). Not differentiable. On WebGPU
 * it is one of the few ops that produce int64, so it also turns a float one-hot into the
 * [..., 1] index tensor that GatherElements needs (see crossEntropy.ts).
 */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import { reducedShape } from './reduceSum';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

export const ArgMax: OpDef = {
  opType: 'ArgMax',
  infer(inputs, attrs) {
    const [x] = arity('ArgMax', inputs, 1);
    const axis = normAxis(attrInt(attrs, 'axis', 0), x!.shape.length);
    return [{ shape: reducedShape(x!.shape, [axis], attrInt(attrs, 'keepdims', 1) === 1), dtype: 'i64' }];
  },
  saves: { inputs: [], outputs: [] },
  ort: { transposeOptimizer: 'pushable' },
};

export function argMax(g: Graph, x: string, axis: number, keepdims: boolean, label?: string): string {
  return g.add1(ArgMax, [x], { axis: int(axis), keepdims: int(keepdims ? 1 : 0) }, label);
}
