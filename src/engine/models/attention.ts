/**
 * One causal self-attention layer as ported from nanoGPT, plus a scalar loss so there is a
 * backward pass: c_attn -> q, k, v -> heads -> scores -> scale -> causal mask -> softmax ->
 * context -> merge heads -> c_proj; loss = mean(y^2).
 */
import { appendBackward } from '../autodiff/backward';
import { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { add } from '../ops/add';
import { matmul } from '../ops/matmul';
import { mul } from '../ops/mul';
import { reduceMean } from '../ops/reduceMean';
import { softmax } from '../ops/softmax';
import { split } from '../ops/split';
import { where } from '../ops/where';
import type { Strategy } from '../report/schema';
import { STRATEGIES } from '../strategies';
import { validateAttentionConfig, type AttentionConfig } from './config';

/** The most negative value a masked score takes, per dtype (finite, so softmax stays defined). */
const MASKED: Record<FloatDType, number> = { f16: -65504, f32: -1e9, f64: -1e9 };

/** y = x W + b; parameters are named `<prefix>.<name>.weight|bias`, as in a PyTorch state dict. */
function linear(
  g: Graph,
  x: string,
  prefix: string,
  name: string,
  inF: number,
  outF: number,
  dtype: FloatDType,
): string {
  return g.within(name, () => {
    const w = g.param(`${prefix}.${name}.weight`, [inF, outF], dtype);
    const b = g.param(`${prefix}.${name}.bias`, [outF], dtype);
    return add(g, matmul(g, x, w, 'MatMul'), b, 'bias');
  });
}

export interface BuildOptions {
  dtype?: FloatDType;
  /** Differentiate with respect to the input `x` as well as the parameters (default true). */
  inputGrad?: boolean;
}

/** Builds forward and backward of one attention layer; outputs: `loss`, then `grad/<param>`, `grad/x`. */
export function buildAttentionStep(
  config: AttentionConfig,
  strategy: Strategy,
  opts: BuildOptions = {},
): Graph {
  const errors = validateAttentionConfig(config);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const { seq, embd, heads } = config;
  const dtype = opts.dtype ?? 'f32';
  const headDim = embd / heads;
  const g = new Graph();
  const x = g.input('x', ['B', seq, embd], dtype);

  const y = g.within('block0', () =>
    g.within('attention', () => {
      const qkv = linear(g, x, 'block0.attn', 'c_attn', embd, 3 * embd, dtype);
      const [q, k, v] = split(g, qkv, 2, [embd, embd, embd], 'qkv_split') as [string, string, string];
      const mask = g.constant(
        'bool',
        [seq, seq],
        {
          kind: 'bools',
          values: Array.from({ length: seq * seq }, (_, i) => i % seq <= Math.floor(i / seq)),
        },
        'causal_mask',
      );
      const probs = (scores: string) => {
        const scaled = mul(g, scores, g.scalar(dtype, 1 / Math.sqrt(headDim), 'scale'), 'scale');
        const masked = where(g, mask, scaled, g.scalar(dtype, MASKED[dtype], 'masked'), 'causal_mask');
        return softmax(g, masked, -1, 'softmax');
      };
      const context = STRATEGIES[strategy].attend(g, { q, k, v }, { seq, heads, headDim, dtype }, probs);
      return linear(g, context, 'block0.attn', 'c_proj', embd, embd, dtype);
    }),
  );

  const loss = g.within('loss', () => reduceMean(g, mul(g, y, y, 'square'), null, false, 'mean'));
  g.rename(loss, 'loss');
  appendBackward(g, 'loss', opts.inputGrad === false ? g.params : [...g.params, x]);
  return g;
}
