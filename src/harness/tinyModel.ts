/**
 * A tiny hand-built ONNX graph for runtime tests (e2e harness, Node smoke script, fixtures):
 * x[2,4,8] -> Transpose(0,2,1) -> t[2,8,4] -> MatMul(W[4,16]) -> m[2,8,16] -> Reshape[2,8,4,4]
 *   -> r -> Softmax(-1) -> s -> ReduceSum(-1, keepdims=0) -> y[2,8,4]; outputs y and s
 * (an intermediate kept as an output, as a training graph keeps its loss and gradients).
 */
import onnxProto from 'onnx-proto';
import type { MeasureRequest, NodeMeta } from '../engine/runtime/types';

const { onnx } = onnxProto;
const F32 = onnx.TensorProto.DataType.FLOAT;
const I64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

function valueInfo(name: string, dims: number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: F32, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  };
}

export const TINY_NODES: NodeMeta[] = [
  { name: 'transpose', opType: 'Transpose', phase: 'forward', scope: 'tiny', outputs: ['t'] },
  { name: 'matmul', opType: 'MatMul', phase: 'forward', scope: 'tiny', outputs: ['m'] },
  { name: 'reshape', opType: 'Reshape', phase: 'forward', scope: 'tiny', outputs: ['r'] },
  { name: 'softmax', opType: 'Softmax', phase: 'forward', scope: 'tiny/attention', outputs: ['s'] },
  { name: 'reducesum', opType: 'ReduceSum', phase: 'forward', scope: 'tiny', outputs: ['y'] },
];

export function tinyModel(): Uint8Array {
  const w = Float32Array.from({ length: 4 * 16 }, (_, i) => ((i % 7) - 3) / 10);
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'tiny',
    node: [
      {
        name: 'transpose',
        opType: 'Transpose',
        input: ['x'],
        output: ['t'],
        attribute: [{ name: 'perm', type: A.INTS, ints: [0, 2, 1] }],
      },
      { name: 'matmul', opType: 'MatMul', input: ['t', 'W'], output: ['m'] },
      { name: 'reshape', opType: 'Reshape', input: ['m', 'shape4'], output: ['r'] },
      {
        name: 'softmax',
        opType: 'Softmax',
        input: ['r'],
        output: ['s'],
        attribute: [{ name: 'axis', type: A.INT, i: -1 }],
      },
      {
        name: 'reducesum',
        opType: 'ReduceSum',
        input: ['s', 'axes'],
        output: ['y'],
        attribute: [{ name: 'keepdims', type: A.INT, i: 0 }],
      },
    ],
    initializer: [
      { name: 'W', dataType: F32, dims: [4, 16], rawData: new Uint8Array(w.buffer) },
      { name: 'shape4', dataType: I64, dims: [4], int64Data: [2, 8, 4, 4] },
      { name: 'axes', dataType: I64, dims: [1], int64Data: [-1] },
    ],
    input: [valueInfo('x', [2, 4, 8])],
    output: [valueInfo('y', [2, 8, 4]), valueInfo('s', [2, 8, 4, 4])],
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'headroom-tiny',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

export function tinyRequest(
  cacheMode: MeasureRequest['cacheMode'] = 'lazyRelease',
  wasmPaths?: string,
): MeasureRequest {
  const x = Float32Array.from({ length: 64 }, (_, i) => i / 64);
  return {
    model: tinyModel(),
    feeds: { x: { type: 'float32', dims: [2, 4, 8], data: x } },
    nodes: TINY_NODES,
    cacheMode,
    wasmPaths,
  };
}

/**
 * A chain of n same-size elementwise ops on x[64,64] (Sigmoid/Neg, every third an Add of x), with
 * h5 and the last as outputs. ORT's allocation planner recycles the freed intermediates' buffers
 * (no createBuffer), and n > 16 dispatches crosses one of the EP's flushes.
 */
export function chainRequest(cacheMode: MeasureRequest['cacheMode'] = 'lazyRelease', n = 20): MeasureRequest {
  const nodes: NodeMeta[] = [];
  const protoNodes: onnxProto.onnx.INodeProto[] = [];
  let prev = 'x';
  for (let i = 0; i < n; i++) {
    const out = `h${i}`;
    const opType = i % 3 === 2 ? 'Add' : i % 2 ? 'Neg' : 'Sigmoid';
    const name = `${opType.toLowerCase()}${i}`;
    protoNodes.push({ name, opType, input: opType === 'Add' ? [prev, 'x'] : [prev], output: [out] });
    nodes.push({ name, opType, phase: 'forward', scope: 'chain', outputs: [out] });
    prev = out;
  }
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'chain',
    node: protoNodes,
    input: [valueInfo('x', [64, 64])],
    output: [valueInfo(prev, [64, 64]), valueInfo('h5', [64, 64])],
  };
  const model = onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }),
  ).finish();
  const x = Float32Array.from({ length: 64 * 64 }, (_, i) => (i % 13) / 13);
  return { model, feeds: { x: { type: 'float32', dims: [64, 64], data: x } }, nodes, cacheMode };
}
