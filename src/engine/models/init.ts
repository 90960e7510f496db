/** Deterministic parameter and input values (seeded), so runs and tests are reproducible. */
import type { Graph } from '../graph/graph';
import { numel } from '../graph/shape';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(n: number, bound: number, next: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => (2 * next() - 1) * bound);
}

/** PyTorch Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight [in, out] and bias. */
export function initParams(g: Graph, seed = 1): Map<string, Float64Array> {
  const next = rng(seed);
  const values = new Map<string, Float64Array>();
  const fanIn = new Map<string, number>();
  for (const name of g.params) {
    const shape = g.info(name).shape;
    if (shape.length === 2) fanIn.set(name.replace(/\.weight$/, ''), shape[0] as number);
  }
  for (const name of g.params) {
    const shape = g.info(name).shape;
    const fan = fanIn.get(name.replace(/\.(weight|bias)$/, '')) ?? (shape[0] as number);
    values.set(name, uniform(numel(shape, 1), 1 / Math.sqrt(fan), next));
  }
  return values;
}

/** Values for every float graph input at `batch`, uniform in [-1, 1). */
export function randomInputs(g: Graph, batch: number, seed = 2): Map<string, Float64Array> {
  const next = rng(seed);
  return new Map(g.inputs.map((name) => [name, uniform(numel(g.info(name).shape, batch), 1, next)]));
}
