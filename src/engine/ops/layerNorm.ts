/**
 * LayerNormalization (opset 17) over the last axis: y = (x - mean) * invstd * gamma + beta.
 *
 * The node also writes its optional Mean and InvStdDev outputs ([..., 1], f32 as the default
 * stash_type says, whatever x's dtype); onnxruntime-web's WebGPU EP produces them. Saves x,
 * gamma, mean and invstd (beta is not needed), as PyTorch's native_layer_norm does. With
 * xhat = (x - mean) * invstd and gx = dy * gamma:
 *   dx = invstd * (gx - mean(gx) - xhat * mean(gx * xhat)),
 *   dgamma = sum(dy * xhat), dbeta = sum(dy), the sums over every axis but the last.
 */
import type { Graph } from '../graph/graph';
import { normAxis, sameShape } from '../graph/shape';
import { float, int } from '../graph/types';
import { cast } from './cast';
import { mul } from './mul';
import { reduceMean } from './reduceMean';
import { sub } from './sub';
import { sumToShape } from './sumToShape';
import type { OpDef } from './types';
import { arity, attrInt, sameDtype } from './util';

export const LayerNormalization: OpDef = {
  opType: 'LayerNormalization',
  infer(inputs, attrs) {
    const [x, gamma, beta] = arity('LayerNormalization', inputs, 3);
    const rank = x!.shape.length;
    if (normAxis(attrInt(attrs, 'axis', -1), rank) !== rank - 1)
      throw new Error('LayerNormalization: only the last axis is supported');
    sameDtype('LayerNormalization', x!, gamma!);
    sameDtype('LayerNormalization', x!, beta!);
    const last = x!.shape.slice(-1);
    if (!sameShape(gamma!.shape, last) || !sameShape(beta!.shape, last))
      throw new Error(`LayerNormalization: gamma and beta must be [${last.join(', ')}]`);
    const stats = [...x!.shape.slice(0, -1), 1];
    return [
      { shape: x!.shape, dtype: x!.dtype },
      { shape: stats, dtype: 'f32' },
      { shape: stats, dtype: 'f32' },
    ];
  },
  saves: { inputs: [0, 1], outputs: [1, 2] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null, null];
    const { g } = ctx;
    const dtype = ctx.inputInfo(0).dtype;
    const stat = (i: number) => (dtype === 'f32' ? ctx.output(i) : cast(g, ctx.output(i), dtype));
    const dbeta = ctx.needs(2) ? sumToShape(g, dy, ctx.inputInfo(2).shape) : null;
    if (!ctx.needs(0) && !ctx.needs(1)) return [null, null, dbeta];
    const invstd = stat(2);
    const xhat = mul(g, sub(g, ctx.input(0), stat(1)), invstd, 'xhat');
    const dgamma = ctx.needs(1) ? sumToShape(g, mul(g, dy, xhat), ctx.inputInfo(1).shape) : null;
    let dx: string | null = null;
    if (ctx.needs(0)) {
      const gx = mul(g, dy, ctx.input(1));
      const meanGx = reduceMean(g, gx, [-1], true);
      const meanGxXhat = reduceMean(g, mul(g, gx, xhat), [-1], true);
      dx = mul(g, sub(g, sub(g, gx, meanGx), mul(g, xhat, meanGxXhat)), invstd);
    }
    return [dx, dgamma, dbeta];
  },
};

/** x [..., C], gamma and beta [C] -> [..., C], normalised over the last axis. */
export function layerNorm(
  g: Graph,
  x: string,
  gamma: string,
  beta: string,
  eps = 1e-5,
  label?: string,
): string {
  const [y] = g.add(LayerNormalization, [x, gamma, beta], { axis: int(-1), epsilon: float(eps) }, label);
  return y!;
}
