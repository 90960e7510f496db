/**
 * A report's model as the engine builds it. Types only from the schema: the page's main thread
 * uses this without loading zod (e2e/bundle.spec.ts).
 */
import type { ModelConfig } from '../models/spec';
import type { Report } from '../report/report';

/** The report's model; the fields an attention-only report leaves out keep `base`'s values. */
export function modelOfReport(r: Pick<Report, 'model'>, base: ModelConfig): ModelConfig {
  const m = r.model;
  return {
    vocab: m.vocab ?? base.vocab,
    seq: m.seq,
    embd: m.embd,
    heads: m.heads,
    layers: m.layers,
    mlpRatio: m.mlpRatio ?? base.mlpRatio,
    activation: m.activation ?? base.activation,
    attentionOnly: m.attentionOnly,
  };
}
