/**
 * Cast to another dtype. Float to float is differentiable (the gradient is cast back); from bool
 * or int64 there is no gradient. On WebGPU (onnxruntime-web 1.30) Cast runs between f32, f16,
 * i32, u32 and bool only: a Cast from or to int64 falls back to the CPU.
 */
import type { Graph } from '../graph/graph';
import { type DType, int, ONNX_DTYPE } from '../graph/types';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

const FLOATS: readonly DType[] = ['f32', 'f16', 'f64'];

function dtypeOf(code: number): DType {
  const found = (Object.keys(ONNX_DTYPE) as DType[]).find((d) => ONNX_DTYPE[d] === code);
  if (!found) throw new Error(`Cast: unsupported target type ${code}`);
  return found;
}

export const Cast: OpDef = {
  opType: 'Cast',
  infer(inputs, attrs) {
    const [x] = arity('Cast', inputs, 1);
    return [{ shape: x!.shape, dtype: dtypeOf(attrInt(attrs, 'to')) }];
  },
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    const from = ctx.inputInfo(0).dtype;
    return [dy && FLOATS.includes(from) ? cast(ctx.g, dy, from) : null];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function cast(g: Graph, x: string, to: DType, label?: string): string {
  return g.add1(Cast, [x], { to: int(ONNX_DTYPE[to]) }, label);
}
