/**
 * A measured-step request for a build spec at a batch: the ONNX bytes (parameters as seeded
 * initializers), seeded feeds (float inputs; token and target ids), node metadata for
 * attribution, and the tape's tensors to keep on the GPU.
 */
import type { Graph } from '../graph/graph';
import { numel, resolveShape } from '../graph/shape';
import { buildTrainingGraph } from '../models/build';
import { initParams, randomInputs, rng } from '../models/init';
import type { BuildSpec } from '../models/spec';
import { toOnnxBytes } from '../onnx/serialize';
import type { Feed, MeasureRequest } from '../runtime/types';
import { DEFAULT_CACHE_MODE, type CacheMode } from '../vocabulary';

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
    } else if (t.dtype === 'f32') {
      feeds[name] = { type: 'float32', dims, data: Float32Array.from(floats.get(name)!) };
    } else {
      throw new Error(`cannot feed a ${t.dtype} input (${name}) to a measured step`);
    }
  }
  return feeds;
}

export function stepRequest(
  spec: BuildSpec,
  batch: number,
  cacheMode: CacheMode = DEFAULT_CACHE_MODE,
  seed = 2,
): { graph: Graph; request: MeasureRequest } {
  const graph = buildTrainingGraph(spec);
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
