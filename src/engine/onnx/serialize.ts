/** IR -> ONNX ModelProto bytes, at a concrete batch size (protobuf encoding by onnx-proto). */
import onnxProto from 'onnx-proto';
import type { Graph } from '../graph/graph';
import { resolveDim, resolveShape } from '../graph/shape';
import { type Attr, ONNX_DTYPE, type TensorInfo } from '../graph/types';
import { opDef } from '../ops/index';
import { encodeValues } from './dtype';

const { onnx } = onnxProto;

export const OPSET = 17;

export interface SerializeOptions {
  batch: number;
  /** Values of the parameters, stored as initializers; ignored with `paramsAsInputs`. */
  paramValues?: ReadonlyMap<string, ArrayLike<number>>;
  /** Make every parameter a graph input instead of an initializer. */
  paramsAsInputs?: boolean;
}

function valueInfo(t: TensorInfo, batch: number): onnxProto.onnx.IValueInfoProto {
  return {
    name: t.name,
    type: {
      tensorType: {
        elemType: ONNX_DTYPE[t.dtype],
        shape: { dim: resolveShape(t.shape, batch).map((d) => ({ dimValue: d })) },
      },
    },
  };
}

function tensorProto(
  t: TensorInfo,
  batch: number,
  values: ArrayLike<number | bigint | boolean>,
): onnxProto.onnx.ITensorProto {
  return {
    name: t.name,
    dims: resolveShape(t.shape, batch),
    dataType: ONNX_DTYPE[t.dtype],
    rawData: encodeValues(t.dtype, values),
  };
}

function constValues(t: TensorInfo, batch: number): ArrayLike<number | bigint | boolean> {
  const v = t.value;
  if (!v) throw new Error(`constant ${t.name} has no value`);
  if (v.kind === 'ints') return v.values.map((d) => resolveDim(d, batch));
  if (v.kind === 'bools') return v.values();
  return v.values(batch);
}

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

export function toOnnxModel(g: Graph, opts: SerializeOptions): onnxProto.onnx.IModelProto {
  const { batch } = opts;
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`batch must be a positive integer, got ${batch}`);
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  const inputs = g.inputs.map((n) => valueInfo(g.info(n), batch));
  for (const t of g.tensors.values()) {
    if (t.kind === 'const') initializers.push(tensorProto(t, batch, constValues(t, batch)));
  }
  for (const name of g.params) {
    const t = g.info(name);
    if (opts.paramsAsInputs) {
      inputs.push(valueInfo(t, batch));
      continue;
    }
    const values = opts.paramValues?.get(name);
    if (!values) throw new Error(`no value for parameter ${name}`);
    initializers.push(tensorProto(t, batch, values));
  }
  const domains = new Set(g.nodes.map((n) => opDef(n.opType).domain ?? ''));
  return {
    irVersion: 8,
    producerName: 'headroom',
    opsetImport: [...domains].map((domain) => ({ domain, version: domain === '' ? OPSET : 1 })),
    graph: {
      name: 'training_step',
      // onnxruntime's default execution order is a depth-first walk from the graph's leaves that
      // visits a node's inputs highest node index first (GraphViewer, ExecutionOrder::DEFAULT).
      // Listing nodes in reverse makes that walk follow our order: the backward pass runs after
      // the forward, and recomputation runs just before the gradient that needs it.
      node: [...g.nodes].reverse().map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: opDef(n.opType).domain ?? '',
        input: opDef(n.opType).onnxInputs?.(n.inputs) ?? [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attrs).map(([k, a]) => attribute(k, a)),
      })),
      input: inputs,
      initializer: initializers,
      output: [...g.outputs, ...g.retained].map((n) => valueInfo(g.info(n), batch)),
    },
  };
}

export function toOnnxBytes(g: Graph, opts: SerializeOptions): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(toOnnxModel(g, opts))).finish();
}
