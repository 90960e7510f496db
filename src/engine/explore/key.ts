/**
 * Canonical keys of what a plan depends on, so that equal configurations share one cached plan
 * (planner.ts) and one worker (src/worker/planPool.ts). Small and dependency-free on purpose: the
 * page's thread imports it to route requests without loading the planner.
 */
import type { BuildSpec, ModelConfig } from '../models/spec';
import type { Combo, PlanConfig } from './types';

/** The model's fields in a fixed order (object key order must not matter). */
function modelKey(m: ModelConfig): string {
  return [m.vocab, m.seq, m.embd, m.heads, m.layers, m.mlpRatio, m.activation, m.attentionOnly].join(',');
}

/**
 * Everything the graph of `combo` under `config` depends on, allocator aside. The chunk size
 * only shapes the `chunked` strategy, so the other strategies leave it out (a chunk slider then
 * re-plans only the chunked combos); the loss chunk likewise only the `chunked` loss. Of the
 * micro-batch count k only whether it exceeds 1 matters: k > 1 adds the accumulation, and k itself
 * is only the value of the backward pass's seed (1/k, a constant of its own: autodiff/backward.ts),
 * which no byte depends on; so every k > 1 shares one plan (the fit advisor asks for every divisor
 * of the effective batch).
 */
export function graphKey(config: PlanConfig, combo: Combo): string {
  const chunk = combo.strategy === 'chunked' ? String(config.chunk) : '-';
  const micro = config.microBatches > 1 ? 'accumulate' : 'single';
  return `${combo.strategy}/${combo.retention}|${config.dtype}|${config.optimizer}|${micro}|${chunk}|${lossKey(config)}|${modelKey(config.model)}`;
}

/** The loss strategy, with its chunk only where it is `chunked` (same reason as the query chunk). */
function lossKey({ loss, lossChunk }: PlanConfig): string {
  return loss === 'chunked' ? `${loss}:${lossChunk}` : loss;
}

/** Everything the plan of `combo` under `config` depends on. */
export function planKey(config: PlanConfig, combo: Combo): string {
  return `${graphKey(config, combo)}|${config.allocator}`;
}

/** A 32-bit FNV-1a hash of `key` (routing a key to one of several workers). */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The key a plan worker is chosen by: the graph key with `tape` read as `minimal` where the two
 * share one graph (every strategy but `chunked`, planner.ts), so that both land on the worker
 * that holds that graph; the allocator is left out, so a switch reuses that worker's liveness.
 */
export function routeKey(config: PlanConfig, combo: Combo): string {
  const shared = combo.retention === 'tape' && combo.strategy !== 'chunked';
  return graphKey(config, shared ? { ...combo, retention: 'minimal' } : combo);
}

/** The build spec of a combination under a configuration (unvalidated: the builder checks it). */
export function buildSpecOf(config: PlanConfig, combo: Combo): BuildSpec {
  return {
    model: { ...config.model },
    strategy: combo.strategy,
    retention: combo.retention,
    chunk: config.chunk,
    dtype: config.dtype,
    optimizer: config.optimizer,
    microBatches: config.microBatches,
    loss: config.loss,
    lossChunk: config.lossChunk,
  };
}
