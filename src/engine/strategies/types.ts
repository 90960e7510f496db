/** An attention strategy: how q, k, v become the merged context (docs/architecture.md, "Vocabulary"). */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import type { StrategyName } from '../vocabulary';

export interface AttentionDims {
  seq: number;
  heads: number;
  headDim: number;
  dtype: FloatDType;
  /** Query rows per chunk (the `chunked` strategy). */
  chunk: number;
}

/**
 * Turns raw scores [B, H, rows, T] into attention weights: scale, causal mask, softmax. `rows`
 * is the range of query positions the scores belong to (all of them unless chunked).
 */
export type Probs = (scores: string, rows?: readonly [number, number]) => string;

export interface AttentionStrategy {
  name: StrategyName;
  /** q, k, v: [B, T, C] -> context [B, T, C]. `probs` turns raw scores [B, H, T, T] into attention weights. */
  attend(g: Graph, qkv: { q: string; k: string; v: string }, dims: AttentionDims, probs: Probs): string;
}
