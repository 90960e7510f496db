/**
 * Exact (erf) GELU, PyTorch's default: x * Phi(x), Phi the standard normal CDF.
 *
 * Forward: com.microsoft Gelu, one fused kernel on WebGPU (our default opset is 17; ONNX's own
 * Gelu arrived in opset 20). Saves its input x; the gradient is dy * (Phi(x) + x * phi(x)) with
 * Phi(x) = (1 + erf(x / sqrt 2)) / 2 and phi(x) = exp(-x^2 / 2) / sqrt(2 pi), built from Erf,
 * Exp, Mul and Add (all on WebGPU; training ops like GeluGrad do not exist in onnxruntime-web).
 * onnxruntime's CPU backend runs Gelu and Erf in f32 only.
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { add } from './add';
import { erf } from './erf';
import { exp } from './exp';
import { mul } from './mul';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Gelu: OpDef = {
  opType: 'Gelu',
  domain: 'com.microsoft',
  infer: (inputs) => unaryInfer('Gelu', inputs),
  saves: { inputs: [0], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null];
    const { g } = ctx;
    const x = ctx.input(0);
    const c = (v: number, hint: string) => g.scalar(ctx.inputInfo(0).dtype, v, hint);
    const cdf = mul(g, add(g, erf(g, mul(g, x, c(Math.SQRT1_2, 'inv_sqrt2'))), c(1, 'one')), c(0.5, 'half'));
    const pdf = exp(g, mul(g, mul(g, x, x), c(-0.5, 'minus_half')));
    const xPdf = mul(g, mul(g, x, pdf), c(1 / Math.sqrt(2 * Math.PI), 'inv_sqrt_2pi'));
    return [mul(g, dy, add(g, cdf, xPdf))];
  },
};

export function gelu(g: Graph, x: string, label?: string): string {
  return g.add1(Gelu, [x], NO_ATTRS, label);
}
