/**
 * Erf. Saves its input x; gradient dy * 2/sqrt(pi) * exp(-x^2). Runs on WebGPU; onnxruntime's
 * CPU backend has it for f32 only (no f64 kernel).
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { exp } from './exp';
import { mul } from './mul';
import { neg } from './neg';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Erf: OpDef = {
  opType: 'Erf',
  infer: (inputs) => unaryInfer('Erf', inputs),
  saves: { inputs: [0], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null];
    const { g } = ctx;
    const x = ctx.input(0);
    const c = g.scalar(ctx.inputInfo(0).dtype, 2 / Math.sqrt(Math.PI), 'two_over_sqrt_pi');
    return [mul(g, dy, mul(g, exp(g, neg(g, mul(g, x, x))), c))];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function erf(g: Graph, x: string, label?: string): string {
  return g.add1(Erf, [x], NO_ATTRS, label);
}
