/**
 * TEMPORARY stand-in (replaced at merge by the PyTorch snapshot reader): throws until the real
 * module lands.
 */
export interface TorchSnapshotSummary {
  device: number;
  peakAllocatedBytes: number;
  peakReservedBytes: number;
  events: number;
  timeline: { index: number; timeUs: number | null; allocatedBytes: number; reservedBytes: number }[];
  largestAtPeak: { size: number; frame: string }[];
}

export function readTorchSnapshot(bytes: Uint8Array): TorchSnapshotSummary {
  void bytes;
  throw new Error('reading PyTorch snapshots: not available yet');
}
