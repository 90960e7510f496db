/**
 * A measured-step request for a build spec at a batch (one micro-step of it): the ONNX bytes
 * (parameters as seeded initializers), seeded feeds (float inputs; token and target ids; the
 * optimizer's state and the accumulated gradients as zeros, as before a first step; the step
 * number 1), node metadata for attribution, and the tape's tensors to keep on the GPU.
 */
import type { Graph } from '../graph/graph';
import { numel, resolveShape } from '../graph/shape';
import { buildTrainingGraph } from '../models/build';
import type { MicroStep } from '../models/microStep';
import { initParams, randomInputs, rng } from '../models/init';
import type { BuildSpec } from '../models/spec';
import { toOnnxBytes } from '../onnx/serialize';
import { toHalfBits } from '../onnx/dtype';
import type { Feed, MeasureRequest } from '../runtime/types';
import { DEFAULT_CACHE_MODE, OPTIMIZER_STEP, type CacheMode } from '../vocabulary';

/** A float feed of `dtype` (f32, or f16 as its bits). */
function floatFeed(name: string, dtype: string, dims: number[], values: ArrayLike<number>): Feed {
  if (dtype === 'f32') return { type: 'float32', dims, data: Float32Array.from(values) };
  if (dtype === 'f16') return { type: 'float16', dims, data: Uint16Array.from(values, toHalfBits) };
  throw new Error(`cannot feed a ${dtype} input (${name}) to a measured step`);
}

function feedsFor(g: Graph, batch: number, vocab: number, seed: number): Record<string, Feed> {
  const floats = randomInputs(g, batch, seed);
  const next = rng(seed + 1);
  const feeds: Record<string, Feed> = {};
  for (const name of g.inputs) {
    const t = g.info(name);
    const dims = resolveShape(t.shape, batch);
    if (t.dtype === 'i64') {
      const data = BigInt64Array.from({ length: numel(t.shape, batch) }, () =>
        BigInt(Math.floor(next() * vocab)),
      );
      feeds[name] = { type: 'int64', dims, data };
    } else if (name === OPTIMIZER_STEP) {
      feeds[name] = floatFeed(name, t.dtype, dims, [1]);
    } else if (g.categories.has(name)) {
      // Optimizer state and accumulated gradients: zeros, as before the first step.
      feeds[name] = floatFeed(name, t.dtype, dims, new Float64Array(numel(t.shape, batch)));
    } else {
      feeds[name] = floatFeed(name, t.dtype, dims, floats.get(name)!);
    }
  }
  return feeds;
}

export function stepRequest(
  spec: BuildSpec,
  batch: number,
  cacheMode: CacheMode = DEFAULT_CACHE_MODE,
  seed = 2,
  microStep: MicroStep = 'apply',
): { graph: Graph; request: MeasureRequest } {
  const graph = buildTrainingGraph(spec, microStep);
  const request: MeasureRequest = {
    model: toOnnxBytes(graph, { batch, paramValues: initParams(graph) }),
    feeds: feedsFor(graph, batch, spec.model.vocab, seed),
    nodes: graph.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      phase: n.phase,
      scope: n.scope,
      outputs: [...n.outputs],
    })),
    cacheMode,
    keepOnGpu: [...graph.retained],
  };
  return { graph, request };
}
