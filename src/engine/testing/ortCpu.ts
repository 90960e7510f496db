/**
 * Test support: runs an IR graph on onnxruntime-web's CPU (wasm) backend in Node, with every
 * parameter fed as an input, and checks gradients against central finite differences.
 */
import * as ort from 'onnxruntime-web';
import type { Graph } from '../graph/graph';
import { resolveShape } from '../graph/shape';
import type { DType } from '../graph/types';
import { toOnnxBytes } from '../onnx/serialize';

ort.env.wasm.numThreads = 1;

export type Values = ReadonlyMap<string, ArrayLike<number>>;

function tensor(dtype: DType, dims: number[], values: ArrayLike<number>): ort.Tensor {
  if (dtype === 'f64') return new ort.Tensor('float64', Float64Array.from(values), dims);
  if (dtype === 'f32') return new ort.Tensor('float32', Float32Array.from(values), dims);
  if (dtype === 'i64')
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(values, (v) => BigInt(v)),
      dims,
    );
  throw new Error(`cannot feed ${dtype}`);
}

export class CpuRunner {
  private constructor(
    readonly graph: Graph,
    readonly batch: number,
    private readonly session: ort.InferenceSession,
  ) {}

  static async create(graph: Graph, batch: number): Promise<CpuRunner> {
    const bytes = toOnnxBytes(graph, { batch, paramsAsInputs: true });
    return new CpuRunner(
      graph,
      batch,
      await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' }),
    );
  }

  /** Runs the graph; returns every graph output as float64 values. */
  async run(values: Values): Promise<Map<string, Float64Array>> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of [...this.graph.inputs, ...this.graph.params]) {
      const info = this.graph.info(name);
      const v = values.get(name);
      if (!v) throw new Error(`no value for ${name}`);
      feeds[name] = tensor(info.dtype, resolveShape(info.shape, this.batch), v);
    }
    const out = await this.session.run(feeds);
    return new Map(
      Object.entries(out).map(([k, t]) => [
        k,
        Float64Array.from(t.data as ArrayLike<number | bigint>, Number),
      ]),
    );
  }

  async loss(values: Values): Promise<number> {
    return (await this.run(values)).get('loss')![0]!;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export interface GradCheck {
  tensor: string;
  index: number;
  analytic: number;
  numeric: number;
}

/**
 * Central differences of the loss at `samples` coordinates of each tensor in `wrt`, next to the
 * analytic gradients `grad/<tensor>` from the same graph.
 */
export async function finiteDifferences(
  runner: CpuRunner,
  values: Values,
  wrt: readonly string[],
  { samples = 6, eps = 1e-5, seed = 7 } = {},
): Promise<GradCheck[]> {
  const analytic = await runner.run(values);
  const checks: GradCheck[] = [];
  let s = seed;
  for (const name of wrt) {
    const base = Float64Array.from(values.get(name)!);
    const grad = analytic.get(`grad/${name}`)!;
    for (let k = 0; k < Math.min(samples, base.length); k++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const index = k === 0 ? 0 : s % base.length;
      const at = (delta: number) => {
        const v = Float64Array.from(base);
        v[index] = v[index]! + delta;
        return runner.loss(new Map([...values, [name, v]]));
      };
      const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
      checks.push({ tensor: name, index, analytic: grad[index]!, numeric });
    }
  }
  return checks;
}

/** Relative error with an absolute floor, so exact zeros compare sensibly. */
export function relativeError(a: number, b: number, floor = 1e-6): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
