/**
 * End to end: spawns the real `bin/headroom.mjs export-onnx`, loads the file with onnxruntime-web's
 * CPU backend and checks it computes the in-process graph's loss and gradients.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph/graph';
import { numel, resolveShape } from '../engine/graph/shape';
import { buildTrainingGraph } from '../engine/models/build';
import { initParams, rng } from '../engine/models/init';
import { PRESETS, type BuildSpec } from '../engine/models/spec';
import { CpuRunner } from '../engine/testing/ortCpu';

const BIN = fileURLToPath(new URL('../../bin/headroom.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'headroom-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function headroom(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** Feeds for every graph input: token ids in [0, vocab) for int inputs, uniform [-1, 1) otherwise. */
function stepInputs(g: Graph, batch: number, vocab: number): Map<string, Float64Array> {
  const next = rng(3);
  return new Map(
    g.inputs.map((name) => {
      const info = g.info(name);
      const n = numel(info.shape, batch);
      const v =
        info.dtype === 'i64'
          ? Float64Array.from({ length: n }, () => Math.floor(next() * vocab))
          : Float64Array.from({ length: n }, () => 2 * next() - 1);
      return [name, v];
    }),
  );
}

function feeds(
  g: Graph,
  batch: number,
  values: ReadonlyMap<string, ArrayLike<number>>,
  names: readonly string[],
) {
  return Object.fromEntries(
    names.map((name) => {
      const info = g.info(name);
      const dims = resolveShape(info.shape, batch);
      const v = values.get(name)!;
      const t =
        info.dtype === 'i64'
          ? new ort.Tensor(
              'int64',
              BigInt64Array.from(v, (x) => BigInt(x)),
              dims,
            )
          : new ort.Tensor('float32', Float32Array.from(v), dims);
      return [name, t];
    }),
  );
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, name: string) {
  expect(actual.length, name).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst, name).toBeLessThanOrEqual(1e-5);
}

function spec(attentionOnly: boolean): BuildSpec {
  return {
    model: { ...PRESETS.tiny, attentionOnly },
    strategy: 'view',
    retention: 'minimal',
    chunk: 64,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  };
}

const BATCH = 2;

describe.each([
  { model: 'attention-only', attentionOnly: true },
  { model: 'full GPT', attentionOnly: false },
])('headroom export-onnx --preset tiny, $model', ({ attentionOnly }) => {
  const modelFlags = attentionOnly ? ['--attention-only'] : [];
  // Built on first use (inside a test, so a model that cannot be built fails that test).
  let built: ReturnType<typeof setup> | undefined;
  const get = () => (built ??= setup());
  function setup() {
    const graph = buildTrainingGraph(spec(attentionOnly));
    const params = initParams(graph);
    const inputs = stepInputs(graph, BATCH, PRESETS.tiny.vocab);
    const floats = [...graph.inputs, ...graph.params].filter((n) => graph.info(n).dtype !== 'i64');
    const paramCount = graph.params.reduce((n, p) => n + numel(graph.info(p).shape, 1), 0);
    return { graph, params, inputs, floats, paramCount };
  }

  async function expected(): Promise<Map<string, Float64Array>> {
    const { graph, inputs, params } = get();
    const runner = await CpuRunner.create(graph, BATCH);
    try {
      return await runner.run(new Map([...inputs, ...params]));
    } finally {
      await runner.release();
    }
  }

  it('with --params-as-inputs: inputs, outputs, loss and gradients', async () => {
    const { graph, params, inputs, floats, paramCount } = get();
    const out = join(dir, `${attentionOnly ? 'attn' : 'gpt'}-inputs.onnx`);
    const r = headroom(
      'export-onnx',
      '--preset',
      'tiny',
      ...modelFlags,
      '--params-as-inputs',
      '--batch',
      String(BATCH),
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const size = readFileSync(out).length;
    expect(r.stdout).toBe(
      `wrote ${out}: ${size.toLocaleString('en-US')} bytes, ${graph.nodes.length.toLocaleString('en-US')} nodes, ` +
        `${paramCount.toLocaleString('en-US')} parameters (graph inputs)\n`,
    );

    const session = await ort.InferenceSession.create(readFileSync(out), {
      graphOptimizationLevel: 'disabled',
    });
    try {
      expect(session.inputNames).toEqual([...graph.inputs, ...graph.params]);
      expect(session.inputNames).toEqual(
        expect.arrayContaining(attentionOnly ? ['x'] : ['tokens', 'targets']),
      );
      expect(session.outputNames[0]).toBe('loss');
      expect([...session.outputNames.slice(1)].sort()).toEqual(floats.map((n) => `grad/${n}`).sort());

      const got = await session.run(feeds(graph, BATCH, new Map([...inputs, ...params]), session.inputNames));
      const want = await expected();
      for (const name of session.outputNames)
        expectClose(got[name]!.data as Float32Array, want.get(name)!, name);
    } finally {
      await session.release();
    }
  });

  it('by default: parameters are the seeded initializers', async () => {
    const { graph, inputs } = get();
    const out = join(dir, `${attentionOnly ? 'attn' : 'gpt'}-init.onnx`);
    const r = headroom('export-onnx', ...modelFlags, '--batch', String(BATCH), '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ parameters \(initializers\)\n$/);

    const session = await ort.InferenceSession.create(readFileSync(out), {
      graphOptimizationLevel: 'disabled',
    });
    try {
      expect(session.inputNames).toEqual(graph.inputs);
      const got = await session.run(feeds(graph, BATCH, inputs, graph.inputs));
      const want = await expected();
      for (const name of session.outputNames)
        expectClose(got[name]!.data as Float32Array, want.get(name)!, name);
    } finally {
      await session.release();
    }
  });
});

describe('headroom export-onnx (spawned): a bad flag', () => {
  it('prints one line and exits 2, with no stack trace', () => {
    const r = headroom('export-onnx', '--out', join(dir, 'x.onnx'), '--embd', '30');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: embedding size 30 is not divisible by 4 heads\n');
  });
});
