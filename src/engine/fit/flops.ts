/**
 * A training step's FLOPs from the model's dimensions alone, without building its graph: what the
 * page's measuring estimate uses (src/state/estimate.ts) on its main thread, where no graph is
 * built. cost.ts counts the same step node by node; cost.test.ts checks the two agree. Imports
 * only types, so the page may load it.
 */
import type { ModelConfig } from '../models/spec';

/** Parameters of the model: nanoGPT's (LM head tied to the embedding) or the attention-only stack's. */
export function paramCount(m: ModelConfig): number {
  const C = m.embd;
  const attention = 4 * C * C + 4 * C; // c_attn (C×3C + 3C) and c_proj (C×C + C)
  if (m.attentionOnly) return m.layers * attention;
  const hidden = m.mlpRatio * C;
  const mlp = 2 * C * hidden + hidden + C;
  const block = attention + mlp + 4 * C; // two LayerNorms
  return m.vocab * C + m.seq * C + m.layers * block + 2 * C;
}

/**
 * A training step's FLOPs ≈ 6·params·B·T (forward 2, backward 4 per parameter per token) plus
 * 12·L·B·T²·C (the attention scores and weighted sums, forward and backward): the usual estimate.
 */
export function stepFlops(m: ModelConfig, batch: number): number {
  const T = m.seq;
  return 6 * paramCount(m) * batch * T + 12 * m.layers * batch * T * T * m.embd;
}
