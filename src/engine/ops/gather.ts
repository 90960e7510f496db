/**
 * Gather along axis 0: the embedding lookup, table [V, C] and int64 ids [B, T] -> [B, T, C].
 * Saves the ids. The table's gradient is onehot(ids)ᵀ · dy, an Einsum over the ids' axes.
 *
 * Why a one-hot product and not a scatter: ScatterND with reduction 'add' (and ScatterElements)
 * run on WebGPU and sum repeated ids correctly, but they need the ids as a [B, T, 1] (or
 * [B·T, C]) int64 tensor, and onnxruntime-web 1.30's WebGPU EP cannot make one: its Unsqueeze,
 * Reshape, Expand, Concat, Cast, Equal... kernels take f32/f16/i32/u32/bool, so any of them on
 * int64 falls back to the CPU (int64 only enters Gather/GatherElements/ScatterND/ScatterElements
 * as indices, and leaves ArgMax/TopK). The one-hot is built on the float side instead (oneHot.ts:
 * Gather of an arange, Equal, Cast) and runs on WebGPU; each dW[v] is the sum of the dy rows
 * whose id is v, times exactly 1, like a scatter-add. The price: a B·T·V one-hot lives while the
 * gradient is computed.
 */
import type { Graph } from '../graph/graph';
import { normAxis } from '../graph/shape';
import { int } from '../graph/types';
import { einsum } from './einsum';
import type { OpDef } from './types';
import { arity, attrInt } from './util';

const ID_AXES = 'pqrstu';
const ROW_AXES = 'cdefgh';

export const Gather: OpDef = {
  opType: 'Gather',
  infer(inputs, attrs) {
    const [data, ids] = arity('Gather', inputs, 2);
    if (ids!.dtype !== 'i64') throw new Error('Gather: indices must be i64');
    const axis = normAxis(attrInt(attrs, 'axis', 0), data!.shape.length);
    const shape = [...data!.shape.slice(0, axis), ...ids!.shape, ...data!.shape.slice(axis + 1)];
    return [{ shape, dtype: data!.dtype }];
  },
  saves: { inputs: [1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy || !ctx.needs(0)) return [null, null];
    if (attrInt(ctx.node.attrs, 'axis', 0) !== 0) throw new Error('Gather: gradient only along axis 0');
    const table = ctx.inputInfo(0);
    const vocab = table.shape[0];
    if (typeof vocab !== 'number') throw new Error('Gather: the table cannot have a batch axis');
    const ids = ctx.input(1);
    const idRank = ctx.inputInfo(1).shape.length;
    if (idRank > ID_AXES.length || table.shape.length > ROW_AXES.length + 1)
      throw new Error('Gather: gradient supports ids up to rank 6 and tables up to rank 7');
    const idAxes = ID_AXES.slice(0, idRank);
    const rowAxes = ROW_AXES.slice(0, table.shape.length - 1);
    const hot = ctx.build.oneHot(ctx.g, ids, vocab, table.dtype);
    return [einsum(ctx.g, `${idAxes}v,${idAxes}${rowAxes}->v${rowAxes}`, hot, dy, 'Einsum'), null];
  },
};

/** table [V, C], tokens [B, T] int64 -> [B, T, C]. */
export function embedding(g: Graph, table: string, tokens: string, label?: string): string {
  return g.add1(Gather, [table, tokens], { axis: int(0) }, label);
}
