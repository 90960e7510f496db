/**
 * A one-hot of int64 ids that runs on WebGPU: ONNX OneHot falls back to the CPU in
 * onnxruntime-web, and so does every elementwise op on int64 (Equal, Cast, Unsqueeze...). So
 * each id is first looked up in an f32 arange table (Gather takes int64 indices): ids [...] ->
 * [..., 1] f32, exact for ids below 2^24. Equal against the arange row [depth] gives the
 * [..., depth] mask, then Cast to `dtype` (skipped for 'bool'). Ids outside [0, depth) give an
 * all-false row. Not differentiable (the ids are integers).
 */
import type { Graph } from '../graph/graph';
import type { DType } from '../graph/types';
import { cast } from './cast';
import { equal } from './equal';
import { embedding } from './gather';

export function oneHot(g: Graph, ids: string, depth: number, dtype: DType, label = 'one_hot'): string {
  if (g.info(ids).dtype !== 'i64') throw new Error('oneHot: ids must be i64');
  if (!Number.isInteger(depth) || depth < 1 || depth > 2 ** 24) throw new Error(`oneHot: bad depth ${depth}`);
  const arange = Array.from({ length: depth }, (_, i) => i);
  const column = g.constant('f32', [depth, 1], { kind: 'floats', values: () => arange }, 'arange_column');
  const row = g.constant('f32', [depth], { kind: 'floats', values: () => arange }, 'arange');
  const asFloat = embedding(g, column, ids, `${label}.ids`);
  const mask = equal(g, asFloat, row, `${label}.equal`);
  return dtype === 'bool' ? mask : cast(g, mask, dtype, `${label}.cast`);
}
