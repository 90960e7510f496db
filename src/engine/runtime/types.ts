/** Types shared by the measured-run runtime, its worker and its callers. */
import type { OpRecord } from '../report/schema';
import type { CacheMode, DeviceLimits, Phase } from '../vocabulary';

/** A graph node, in graph order, for attribution metadata. */
export interface NodeMeta {
  name: string;
  opType: string;
  phase: Phase;
  scope: string;
  /** The node's output tensor names, to name OpRecord outputs (else `node:i`). */
  outputs?: string[];
}

export type Feed =
  | { type: 'float32'; dims: number[]; data: Float32Array }
  /** float16 values as their bits (Node 20 has no Float16Array). */
  | { type: 'float16'; dims: number[]; data: Uint16Array }
  | { type: 'int64'; dims: number[]; data: BigInt64Array };

export interface MeasureRequest {
  /** ONNX ModelProto bytes. */
  model: Uint8Array;
  feeds: Record<string, Feed>;
  nodes: NodeMeta[];
  cacheMode: CacheMode;
  /**
   * Graph outputs left on the GPU and never read back (retention `tape`: forward tensors kept
   * alive to the end of the step as extra outputs).
   */
  keepOnGpu?: string[];
  /** Where ORT's wasm files are served (browser: '/ort/'); default: next to ORT's module. */
  wasmPaths?: string;
}

export interface BufferClassStats {
  /** Buffers of this class created during the step. */
  count: number;
  /** Their total size. */
  bytes: number;
  /** Peak live bytes of this class during the step. */
  peakBytes: number;
}

export type NonTensorClass = 'uniform' | 'staging' | 'query' | 'other';

export interface MeasureResult {
  /**
   * Peak bytes of storage buffers holding live tensors during the step: parameters, the inputs,
   * every tensor from the kernel that writes it to the last kernel that reads it, graph outputs
   * until the step ends, plus unattributed buffers for the whole step. Not inflated by ORT's
   * deferred frees (see peakReservedBytes).
   */
  peakLiveBytes: number;
  /**
   * Peak bytes of storage buffers that exist (createBuffer..destroy) during the step. ORT frees
   * lazily (at its next flush) and, in 'bucket' mode, keeps freed buffers cached, so this is
   * what the GPU actually holds, >= peakLiveBytes.
   */
  peakReservedBytes: number;
  /** Storage bytes live when the step starts (parameters / initializers). */
  baselineBytes: number;
  stepMs: number;
  sessionMs: number;
  outputs: Record<string, Float32Array>;
  /** The pseudo-node "input" first, then every executed node in execution order. */
  ops: OpRecord[];
  unattributedBytes: number;
  /** Bytes of uniform, staging and query buffers created during the step. */
  nonTensorBytes: number;
  nonTensor: Record<NonTensorClass, BufferClassStats>;
  /** How buffers were tied to nodes: from bind groups + kernel events, or by output sizes. */
  attribution: 'bindings' | 'sizes';
  notes: string[];
  device: DeviceSummary;
}

export interface DeviceSummary {
  adapter: string;
  vendor: string;
  architecture: string;
  limits: DeviceLimits;
  features: string[];
}
