/**
 * TEMPORARY stand-in for the memory_viz snapshot exporter (another engineer's, replaced at merge):
 * the signature only, so `headroom report --format snapshot` compiles.
 */
import type { Report } from '../report';
import type { Point } from '../schema';

/** A PyTorch memory snapshot (pickle) of `point`, for pytorch.org/memory_viz. */
export function memorySnapshot(r: Report, point: Point): Uint8Array {
  void r;
  void point;
  throw new Error('snapshot export not available');
}
