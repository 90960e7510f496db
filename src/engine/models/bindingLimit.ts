/**
 * Storage buffers per kernel, against WebGPU's default limit. onnxruntime-web's WebGPU kernels
 * bind every input they read on the GPU and every output as a storage buffer of one compute
 * shader, and ORT refuses a shader with more than the device's `maxStorageBuffersPerShaderStage`
 * ("Too many storage buffers in shader. Current: 9, Max is 8": a Split into 8 pieces). The
 * measuring device keeps WebGPU's default (MeasureRuntime raises other limits, never this one),
 * so every graph Headroom builds keeps each node within it and runs on any WebGPU adapter.
 */
import type { Graph } from '../graph/graph';
import { storageBuffersBound } from '../ops/index';
import { WEBGPU_DEFAULT_LIMITS } from '../vocabulary';

/** WebGPU's default `maxStorageBuffersPerShaderStage`: what every adapter grants. */
const LIMIT = WEBGPU_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage;

export interface OverBound {
  node: string;
  opType: string;
  buffers: number;
}

/** The nodes of `g` that bind more storage buffers than `limit`. */
export function nodesOverBindingLimit(g: Graph, limit: number = LIMIT): OverBound[] {
  const over: OverBound[] = [];
  for (const node of g.nodes) {
    const buffers = storageBuffersBound(node);
    if (buffers > limit) over.push({ node: node.name, opType: node.opType, buffers });
  }
  return over;
}

/** Throws, naming the nodes, when a node of `g` binds more storage buffers than `limit`. */
export function checkBindingLimit(g: Graph, limit: number = LIMIT): void {
  const over = nodesOverBindingLimit(g, limit);
  if (!over.length) return;
  const list = over.map((o) => `${o.node} (${o.opType}, ${o.buffers})`).join(', ');
  throw new Error(
    `${over.length} node${over.length === 1 ? '' : 's'} bind more than ${limit} storage buffers per ` +
      `shader stage (WebGPU's default maxStorageBuffersPerShaderStage): ${list}`,
  );
}
