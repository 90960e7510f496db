/**
 * Storage buffers per kernel, against WebGPU's default limit. onnxruntime-web's WebGPU kernels
 * bind every input they read on the GPU and every output as a storage buffer of one compute
 * shader, and ORT refuses a shader with more than the device's `maxStorageBuffersPerShaderStage`
 * ("Too many storage buffers in shader. Current: 9, Max is 8": a Split into 8 pieces). The
 * measuring device keeps WebGPU's default (MeasureRuntime raises other limits, never this one),
 * so every graph Headroom builds keeps each node within it and runs on any WebGPU adapter.
 */
import type { Graph } from '../graph/graph';
import type { GraphNode } from '../graph/types';
import { ALIAS_OPS } from '../runtime/attribute';
import { readsOnGpu } from './kernels';

/** WebGPU's default `maxStorageBuffersPerShaderStage`: what every adapter grants. */
export const MAX_STORAGE_BUFFERS_PER_SHADER_STAGE = 8;

/**
 * Storage buffers `node`'s kernel binds: its inputs read on the GPU (constants included; shape
 * and size inputs read on the CPU not) and its outputs, one per slot (a tensor fed to two slots is
 * bound twice). Aliasing ops (Reshape, ...) dispatch nothing and bind none.
 */
export function storageBuffersBound(g: Graph, node: GraphNode): number {
  if (ALIAS_OPS.has(node.opType)) return 0;
  const slots = g.def(node.opType).onnxInputs?.(node.inputs) ?? node.inputs;
  const inputs = slots.filter((name, slot) => name !== '' && readsOnGpu(node, slot)).length;
  return inputs + node.outputs.length;
}

export interface OverBound {
  node: string;
  opType: string;
  buffers: number;
}

/** The nodes of `g` that bind more storage buffers than `limit`. */
export function nodesOverBindingLimit(g: Graph, limit = MAX_STORAGE_BUFFERS_PER_SHADER_STAGE): OverBound[] {
  return g.nodes.flatMap((node) => {
    const buffers = storageBuffersBound(g, node);
    return buffers > limit ? [{ node: node.name, opType: node.opType, buffers }] : [];
  });
}

/** Throws, naming the nodes, when a node of `g` binds more storage buffers than `limit`. */
export function checkBindingLimit(g: Graph, limit = MAX_STORAGE_BUFFERS_PER_SHADER_STAGE): void {
  const over = nodesOverBindingLimit(g, limit);
  if (!over.length) return;
  const list = over.map((o) => `${o.node} (${o.opType}, ${o.buffers})`).join(', ');
  throw new Error(
    `${over.length} node${over.length === 1 ? '' : 's'} bind more than ${limit} storage buffers per ` +
      `shader stage (WebGPU's default maxStorageBuffersPerShaderStage): ${list}`,
  );
}
