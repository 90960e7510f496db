/** Test support: a MeasureResult with the given headline numbers and no ops. */
import type { MeasureResult } from '../runtime/types';

const noBuffers = { count: 0, bytes: 0, peakBytes: 0 };

export function fakeMeasureResult({
  loss = 1,
  peakLiveBytes = 1000,
  peakReservedBytes = peakLiveBytes,
  stepMs = 1,
}: {
  loss?: number;
  peakLiveBytes?: number;
  peakReservedBytes?: number;
  stepMs?: number;
} = {}): MeasureResult {
  return {
    peakLiveBytes,
    peakReservedBytes,
    baselineBytes: 0,
    stepMs,
    sessionMs: 1,
    outputs: { loss: new Float32Array([loss]) },
    ops: [],
    unattributedBytes: 0,
    nonTensorBytes: 0,
    nonTensor: { uniform: noBuffers, staging: noBuffers, query: noBuffers, other: noBuffers },
    attribution: 'bindings',
    notes: [],
    device: {
      adapter: 'fake',
      vendor: '',
      architecture: '',
      limits: { maxBufferSize: 1, maxStorageBufferBindingSize: 1 },
      features: [],
    },
  };
}
