import { describe, expect, it } from 'vitest';
import tiny from './fixtures/tiny-lazyRelease.json';
import { extractTraceEvents, parseKernelShapes, parseProfile } from './profile';

// Fixtures: RawTrace dumps (MeasureWorkerApi.lastTrace()) of the tiny graph measured in headless
// Chromium 150 on SwiftShader's WebGPU with onnxruntime-web 1.30 (src/harness/tinyModel.ts).

describe('parseProfile on a real ORT 1.30 WebGPU profile', () => {
  const p = parseProfile(tiny.profileText);

  it('lists every executed node in order, with op types and output shapes', () => {
    expect(p.runs).toBe(1);
    expect(p.nodes.map((n) => [n.name, n.opType])).toEqual([
      ['transpose', 'Transpose'],
      ['matmul', 'MatMul'],
      ['reshape', 'Reshape'],
      ['softmax', 'Softmax'],
      ['reducesum', 'ReduceSum'],
    ]);
    expect(p.nodes.every((n) => n.provider === 'WebGpuExecutionProvider')).toBe(true);
    const matmul = p.nodes[1]!;
    expect(matmul.outputs).toEqual([{ dtype: 'float', shape: [2, 8, 16], bytes: 1024 }]);
    expect(matmul.inputs.map((t) => t.shape)).toEqual([
      [2, 8, 4],
      [4, 16],
    ]);
    expect(matmul.outputSize).toBe(1024);
    expect(p.nodes[4]!.inputs[1]).toEqual({ dtype: 'int64', shape: [1], bytes: 8 });
  });

  it('lists one kernel per GPU dispatch with program input/output counts and GPU time', () => {
    expect(p.kernels.map((k) => `${k.node}&${k.opType}&${k.program}`)).toEqual([
      'transpose&Transpose&Transpose',
      'matmul&MatMul&MatMul',
      'softmax&Softmax&Softmax',
      'reducesum&ReduceSum&ReduceSum',
    ]);
    // MatMul's program sees reshaped operands: shapes differ from the node's, counts do not.
    expect(p.kernels[1]!.inputShapes).toHaveLength(2);
    expect(p.kernels[1]!.outputShapes).toHaveLength(1);
    expect(p.kernels.every((k) => k.durUs >= 0)).toBe(true);
  });
});

describe('parseKernelShapes', () => {
  it('reads inputs and outputs, including scalars', () => {
    expect(parseKernelShapes('inputs[0] = {2,4,8} inputs[1] = {} outputs[0] = {2,8,4} ')).toEqual({
      inputs: [[2, 4, 8], []],
      outputs: [[2, 8, 4]],
    });
  });
});

describe('extractTraceEvents', () => {
  it('finds the array among other printed lines', () => {
    expect(extractTraceEvents('warming up\n[\n{"cat":"Node","name":"a_kernel_time"}\n]\ndone')).toHaveLength(
      1,
    );
  });
  it('throws when nothing was printed', () => {
    expect(() => extractTraceEvents('')).toThrow(/no JSON array/);
  });
  it('keeps only the nodes of the last run', () => {
    const node = (name: string, ts: number) => ({
      cat: 'Node',
      name: `${name}_kernel_time`,
      ts,
      dur: 1,
      args: {},
    });
    const run = (ts: number) => ({ cat: 'Session', name: 'model_run', ts, dur: 100 });
    const text = JSON.stringify([run(0), node('a', 10), run(200), node('b', 210)]);
    const p = parseProfile(text);
    expect(p.runs).toBe(2);
    expect(p.nodes.map((n) => n.name)).toEqual(['b']);
  });
});
