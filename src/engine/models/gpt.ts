/**
 * nanoGPT: token + position embeddings, L blocks of [LayerNorm -> attention -> residual ->
 * LayerNorm -> MLP (Linear, activation, Linear) -> residual], final LayerNorm, LM head tied to
 * the token embedding (as nanoGPT does), cross-entropy over integer targets. The loss strategy
 * (spec.loss) computes head and cross-entropy at once (`standard`: the B·T·V logits, then the
 * cross-entropy) or chunk by chunk of positions (`chunked`, ops/chunkedLinearCrossEntropy.ts).
 */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { add } from '../ops/add';
import { chunkedLinearCrossEntropy, lossChunks } from '../ops/chunkedLinearCrossEntropy';
import { crossEntropy, targetIndices } from '../ops/crossEntropy';
import { einsum } from '../ops/einsum';
import { embedding } from '../ops/gather';
import { gelu } from '../ops/gelu';
import { layerNorm } from '../ops/layerNorm';
import { relu } from '../ops/relu';
import { causalSelfAttention, linear } from './attentionLayer';
import { BLOCK_REGION } from './regions';
import { lossOf, type ModelSpec } from './spec';

function norm(g: Graph, x: string, prefix: string, name: string, embd: number, dtype: FloatDType): string {
  return g.within(name, () => {
    const gamma = g.param(`${prefix}.${name}.weight`, [embd], dtype);
    const beta = g.param(`${prefix}.${name}.bias`, [embd], dtype);
    return layerNorm(g, x, gamma, beta, 1e-5, 'LayerNorm');
  });
}

export function buildGpt(g: Graph, spec: ModelSpec): { loss: string; blockOutputs: string[] } {
  const { model, strategy, chunk, dtype } = spec;
  const { vocab, seq, embd, layers } = model;
  const hidden = embd * model.mlpRatio;
  const tokens = g.input('tokens', ['B', seq], 'i64');
  const targets = g.input('targets', ['B', seq], 'i64');
  const wte = g.param('transformer.wte.weight', [vocab, embd], dtype);
  const wpe = g.param('transformer.wpe.weight', [seq, embd], dtype);
  // Built first, so that onnxruntime runs it first: its B·T·V one-hot then coexists with nothing.
  const { loss: lossStrategy, lossChunk } = lossOf(spec);
  const chunks = lossStrategy === 'chunked' ? lossChunks(seq, lossChunk) : [seq];
  const ids = g.within('loss', () => targetIndices(g, targets, vocab, chunks));

  let h = g.within('embedding', () => add(g, embedding(g, wte, tokens, 'wte'), wpe, 'wpe'));
  const blockOutputs: string[] = [];
  for (let i = 0; i < layers; i++) {
    const prefix = `transformer.h.${i}`;
    const x = h;
    h = g.within(`block${i}`, () =>
      g.inRegion(BLOCK_REGION, () => {
        const a = causalSelfAttention(g, norm(g, x, prefix, 'ln_1', embd, dtype), {
          ...model,
          prefix: `${prefix}.attn`,
          strategy,
          chunk,
          dtype,
        });
        const r = add(g, x, a, 'residual_1');
        const m = g.within('mlp', () => {
          const up = linear(
            g,
            norm(g, r, prefix, 'ln_2', embd, dtype),
            `${prefix}.mlp`,
            'c_fc',
            [embd, hidden],
            dtype,
          );
          const act = model.activation === 'gelu' ? gelu(g, up, 'gelu') : relu(g, up, 'relu');
          return linear(g, act, `${prefix}.mlp`, 'c_proj', [hidden, embd], dtype);
        });
        return add(g, r, m, 'residual_2');
      }),
    );
    blockOutputs.push(h);
  }
  const final = norm(g, h, 'transformer', 'ln_f', embd, dtype);
  if (lossStrategy === 'chunked') {
    const loss = g.within('loss', () =>
      chunkedLinearCrossEntropy(g, final, wte, ids, chunks, 'lm_head_cross_entropy'),
    );
    return { loss, blockOutputs };
  }
  const logits = g.within('lm_head', () => einsum(g, 'btc,vc->btv', final, wte, 'logits'));
  const loss = g.within('loss', () => crossEntropy(g, logits, targets, 'cross_entropy', ids[0]));
  return { loss, blockOutputs };
}
