/** What the page asks of the measuring worker. The UI depends on this, never on onnxruntime-web. */
import type { PointRequest } from '../engine/profile/measurePoint';
import type { DeviceInfo } from '../engine/report/report';
import type { Point } from '../engine/report/schema';

export type { PointRequest };

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
