/** What the page asks of the measuring worker. The UI depends on this, never on onnxruntime-web. */
import type { BuildSpec } from '../engine/models/spec';
import type { PointRequest } from '../engine/profile/measurePoint';
import type { DeviceInfo } from '../engine/report/report';
import type { Point } from '../engine/report/schema';

export type { PointRequest };

export interface OnnxRequest {
  spec: BuildSpec;
  batch: number;
}

/** Parameters over this many bytes go into the page's ONNX export as graph inputs, not values. */
export const PARAMS_INLINE_LIMIT = 256 * 2 ** 20;

export interface WebGpuProbe {
  available: boolean;
  /** Why WebGPU is unavailable, for the user. */
  reason?: string;
  /** Adapter description, e.g. "Google SwiftShader". */
  adapter?: string;
  /** The adapter is a fallback (software, CPU) adapter, as WebGPU reports it. */
  fallback?: boolean;
  /** The adapter as a report records it. */
  device?: DeviceInfo;
}

export interface HeadroomApi {
  probeWebGpu(): Promise<WebGpuProbe>;
  /**
   * The ONNX model of one training step at a batch (what Measure runs): parameters as seeded
   * initializers, or as graph inputs when they would make a file over PARAMS_INLINE_LIMIT.
   */
  onnxModel(req: OnnxRequest): Promise<Uint8Array>;
  /** Builds, runs and measures one training step; never rejects: failures come back in `Point.error`. */
  measurePoint(req: PointRequest): Promise<Point>;
  /**
   * Abandons the point in flight: ends its worker, and with it the GPU device and every buffer
   * it holds; that point's `measurePoint` resolves at once as cancelled. Later calls start a
   * fresh worker. A step cannot be interrupted any other way (onnxruntime's run does not yield).
   */
  abandon(): void;
  /** Ends the worker and releases its GPU device; later calls reject. Safe to call twice. */
  dispose(): void;
}
