/**
 * The plan at one batch as the measured report shows a step: per op, bytes allocated, freed and
 * live after it (the same OpRecord a measured run produces), and the buffers live at the peak.
 */
import { resolveShape } from '../graph/shape';
import type { DType } from '../graph/types';
import type { OpRecord, TensorRecord } from '../report/schema';
import type { Category, ElementType } from '../vocabulary';
import { END, exactBytes, linearBytes, type Liveness, type PlannedBuffer } from './liveness';

/** A tensor (buffer) live at the peak. */
export interface LiveTensor {
  tensor: string;
  aliases: string[];
  producer: string;
  category: Category;
  scope: string;
  shape: number[];
  dtype: DType;
  /** Buffer bytes (rounded as the allocator rounds). */
  bytes: number;
  /** The node that allocates it ('initializer' for resident buffers) and the last one it lives in. */
  from: string;
  until: string;
}

/** onnxruntime's names for element types, as its profile reports them. */
const ORT_DTYPE: Record<DType, ElementType> = {
  f32: 'float',
  f16: 'float16',
  f64: 'double',
  i64: 'int64',
  bool: 'bool',
};

/** A graph tensor as the report records it at `batch` (its exact bytes, not its buffer's). */
function tensorRecord(l: Liveness, name: string, batch: number): TensorRecord {
  const t = l.graph.info(name);
  const o = l.dtypeOverride;
  const dtype = o && (t.dtype === 'f32' || t.dtype === 'f16' || t.dtype === 'f64') ? o : t.dtype;
  return {
    name,
    shape: resolveShape(t.shape, batch),
    dtype: ORT_DTYPE[dtype],
    bytes: exactBytes(linearBytes(t.shape, dtype), batch),
  };
}

export interface StepWalk {
  ops: OpRecord[];
  peakBytes: number;
  peakStep: number;
}

/** Walks every step at `batch` (buffer sizes `sizes`, by buffer id): one OpRecord per step, and the peak. */
export function walkSteps(l: Liveness, batch: number, sizes: Float64Array): StepWalk {
  const sum = (ids: readonly number[]) => ids.reduce((n, id) => n + sizes[id]!, 0);
  let live = sum(l.resident);
  let peakBytes = -1;
  let peakStep = 0;
  const ops = l.steps.map((s, i): OpRecord => {
    const alloc = sum(s.allocs);
    live += alloc;
    if (live > peakBytes) {
      peakBytes = live;
      peakStep = i;
    }
    const freed = sum(s.frees);
    live -= freed;
    const outputs = s.node ? s.node.node.outputs : l.graph.inputs;
    return {
      node: s.name,
      opType: s.opType,
      phase: s.phase,
      scope: s.scope,
      allocBytes: alloc,
      freedBytes: freed,
      liveBytesAfter: live,
      outputs: outputs.map((o) => tensorRecord(l, o, batch)),
      gpuMs: null,
    };
  });
  return { ops, peakBytes, peakStep };
}

/** The buffers in `live` as tensors at `batch`, with the steps they live from and until. */
export function liveTensors(
  l: Liveness,
  live: readonly PlannedBuffer[],
  batch: number,
  sizes: Float64Array,
): LiveTensor[] {
  const stepName = (i: number) => (i === END ? 'end' : i < 0 ? 'initializer' : l.steps[i]!.name);
  return live.map((b) => ({
    tensor: b.tensor,
    aliases: b.aliases,
    producer: b.producer,
    category: b.category,
    scope: b.scope,
    shape: resolveShape(b.shape, batch),
    dtype: b.dtype,
    bytes: sizes[b.id]!,
    from: stepName(b.first),
    until: stepName(b.last),
  }));
}
