/**
 * onnxruntime-web 1.30's WebGPU buffer manager (core/providers/webgpu/buffer_manager.cc): the
 * buffer it creates for a tensor of a given size, its bucket cache and its flushes. The planner
 * (src/engine/plan) and the runtime's attribution (src/engine/runtime) both read these facts.
 */
import type { CacheMode } from '../vocabulary';

/** The bucket cache's buffer sizes (buffer_manager.cc). */
export const BUCKETS: readonly number[] = [
  64, 128, 256, 512, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304,
  8388608, 12582912, 16777216, 26214400, 33554432, 44236800, 58982400, 67108864, 134217728, 167772160,
];

/** The size of the buffer onnxruntime creates for a tensor of `bytes` bytes. */
export function bufferSizeFor(bytes: number, mode: CacheMode): number {
  if (mode === 'bucket') {
    // A loop, not find(): the planner asks for every size class at every batch it evaluates.
    for (const b of BUCKETS) if (b >= bytes) return b;
  }
  return Math.ceil(bytes / 16) * 16;
}

/** Dispatches between flushes (WebGpuContext's max_num_pending_dispatches). */
export const DISPATCHES_PER_FLUSH = 16;

/**
 * ORT 1.30's per-bucket cache limits (buffer_manager.cc, BUCKET_DEFAULT_LIMIT_TABLE): how many
 * released buffers of each bucket size the cache keeps. The sizes are BUCKETS.
 */
export const BUCKET_LIMITS: ReadonlyMap<number, number> = new Map([
  [64, 250],
  [128, 200],
  [256, 200],
  [512, 200],
  [2048, 230],
  [4096, 200],
  [8192, 50],
  [16384, 50],
  [32768, 50],
  [65536, 50],
  [131072, 50],
  [262144, 50],
  [524288, 50],
  [1048576, 50],
  [2097152, 30],
  [4194304, 20],
  [8388608, 10],
  [12582912, 10],
  [16777216, 10],
  [26214400, 15],
  [33554432, 22],
  [44236800, 2],
  [58982400, 6],
  [67108864, 6],
  [134217728, 6],
  [167772160, 6],
]);
