/**
 * Every strategy x retention: gradients against central finite differences, and the same loss
 * and gradients as every other combination (f32, 1e-4 relative).
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { CpuRunner, finiteDifferences, relativeError, type Values } from '../testing/ortCpu';
import { buildTrainingGraph } from './build';
import { initParams, randomInputs, rng } from './init';
import { PRESETS, type BuildSpec, type ModelConfig } from './spec';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../vocabulary';

const BATCH = 2;
const attentionOnly: ModelConfig = {
  ...PRESETS.tiny,
  seq: 6,
  embd: 8,
  heads: 2,
  layers: 2,
  attentionOnly: true,
};
const gpt: ModelConfig = { ...PRESETS.tiny, seq: 6, embd: 8, heads: 2, layers: 2, vocab: 11 };
/** onnxruntime's CPU backend has no float64 Erf (GELU's gradient): f64 checks use ReLU. */
const f64Model = (m: ModelConfig): ModelConfig => ({ ...m, activation: 'relu' });
const CHUNK = 4; // 6 queries -> chunks of 4 and 2

function spec(
  model: ModelConfig,
  strategy: BuildSpec['strategy'],
  retention: BuildSpec['retention'],
  dtype: FloatDType,
): BuildSpec {
  return { model, strategy, retention, chunk: CHUNK, dtype, optimizer: 'none', microBatches: 1 };
}

/** Parameters, float inputs and integer tokens/targets, all seeded. */
function values(g: Graph, vocab: number): Values {
  const next = rng(21);
  const ints = g.inputs
    .filter((n) => g.info(n).dtype === 'i64')
    .map(
      (n) =>
        [
          n,
          Array.from({ length: BATCH * (g.info(n).shape[1] as number) }, () => Math.floor(next() * vocab)),
        ] as const,
    );
  return new Map<string, ArrayLike<number>>([...initParams(g, 11), ...randomInputs(g, BATCH, 12), ...ints]);
}

const combos = STRATEGY_NAMES.flatMap((s) => RETENTION_NAMES.map((r) => [s, r] as const));

for (const [label, model] of [
  ['attention-only', attentionOnly],
  ['gpt', gpt],
] as const) {
  describe(`${label}: every strategy x retention`, () => {
    const reference = new Map<string, Float64Array>();

    it.each(combos)('%s / %s: gradients match finite differences', async (strategy, retention) => {
      // onnxruntime's CPU MultiHeadAttention has no float64 kernel: check fused in f32.
      const dtype = strategy === 'fused' ? 'f32' : 'f64';
      const g = buildTrainingGraph(
        spec(dtype === 'f64' ? f64Model(model) : model, strategy, retention, dtype),
      );
      const runner = await CpuRunner.create(g, BATCH);
      const wrt = g.outputs.slice(1).map((o) => o.replace(/^grad\//, ''));
      const checks = await finiteDifferences(runner, values(g, model.vocab), wrt, {
        samples: 3,
        eps: dtype === 'f32' ? 3e-2 : 1e-5,
      });
      await runner.release();
      // f32 differences are noisy: fused is checked loosely here, and tightly (1e-4) against
      // view / minimal below, whose gradients are checked here in f64.
      const [tolerance, floor] = dtype === 'f32' ? [5e-2, 1e-3] : [1e-3, 1e-6];
      for (const c of checks) {
        expect(relativeError(c.analytic, c.numeric, floor), `${c.tensor}[${c.index}]`).toBeLessThan(
          tolerance,
        );
      }
    });

    it.each(combos)(
      '%s / %s: same loss and gradients as view / minimal (f32)',
      async (strategy, retention) => {
        if (reference.size === 0) {
          const g = buildTrainingGraph(spec(model, 'view', 'minimal', 'f32'));
          const runner = await CpuRunner.create(g, BATCH);
          for (const [k, v] of await runner.run(values(g, model.vocab))) reference.set(k, v);
          await runner.release();
        }
        const g = buildTrainingGraph(spec(model, strategy, retention, 'f32'));
        const runner = await CpuRunner.create(g, BATCH);
        const out = await runner.run(values(g, model.vocab));
        await runner.release();
        for (const name of g.outputs) {
          const a = out.get(name)!;
          const b = reference.get(name)!;
          expect(b, name).toBeDefined();
          expect(a, name).toHaveLength(b.length);
          const scale = Math.max(...b.map(Math.abs));
          for (let i = 0; i < a.length; i++)
            expect(Math.abs(a[i]! - b[i]!) / scale, `${name}[${i}]`).toBeLessThan(1e-4);
        }
      },
    );
  });
}

describe('what each combination keeps', () => {
  const build = (strategy: BuildSpec['strategy'], retention: BuildSpec['retention']) =>
    buildTrainingGraph(spec({ ...gpt, seq: 8 }, strategy, retention, 'f32'));
  const scoreShaped = (g: Graph, phase: string) =>
    g.nodes
      .filter((n) => n.phase === phase)
      .flatMap((n) => n.outputs.filter((o) => g.info(o).shape.join() === 'B,2,8,8'));

  it('minimal recomputes nothing for view, the chunks for chunked', () => {
    expect(build('view', 'minimal').nodes.some((n) => n.phase === 'recompute')).toBe(false);
    const chunked = build('chunked', 'minimal');
    expect(
      chunked.nodes.filter((n) => n.phase === 'recompute').every((n) => n.scope.includes('attention')),
    ).toBe(true);
    expect(chunked.nodes.some((n) => n.phase === 'recompute')).toBe(true);
  });

  it('fused and chunked never make a B·H·T² tensor in the forward pass', () => {
    expect(scoreShaped(build('view', 'minimal'), 'forward').length).toBeGreaterThan(0);
    expect(scoreShaped(build('fused', 'minimal'), 'forward')).toEqual([]);
    expect(scoreShaped(build('chunked', 'minimal'), 'forward')).toEqual([]);
    expect(build('fused', 'minimal').nodes.filter((n) => n.opType === 'MultiHeadAttention')).toHaveLength(2);
  });

  it('tape keeps every forward intermediate to the end of the step', () => {
    const g = build('view', 'tape');
    const forwardOutputs = g.nodes
      .filter((n) => n.phase === 'forward' && n.opType !== 'Reshape')
      .flatMap((n) => n.outputs);
    expect(new Set(g.retained)).toEqual(new Set(forwardOutputs.filter((t) => t !== 'loss')));
    expect(build('view', 'minimal').retained).toEqual([]);
  });

  it('checkpoint recomputes each block in backward, keeping only block inputs', () => {
    const g = build('view', 'checkpoint');
    const recomputed = g.nodes.filter((n) => n.phase === 'recompute');
    expect(recomputed.some((n) => n.scope.startsWith('block0'))).toBe(true);
    expect(recomputed.some((n) => n.scope.startsWith('block1'))).toBe(true);
    expect(recomputed.every((n) => n.scope.startsWith('block'))).toBe(true);
  });

  it('parameter names are the same for every strategy and retention', () => {
    const names = build('view', 'minimal').params;
    for (const [s, r] of combos) expect(build(s, r).params).toEqual(names);
  });

  it('every node has a scope and a phase', () => {
    for (const [s, r] of combos) {
      for (const n of build(s, r).nodes) {
        expect(n.scope, n.name).toMatch(/^(embedding|block\d+(\/.+)?|ln_f|lm_head|loss(\/.+)?|grad)$/);
        expect(['forward', 'backward', 'recompute']).toContain(n.phase);
      }
    }
  });
});

describe('presets and dtypes', () => {
  it('builds the seed and gpt2-small graphs and serialises them (parameters as inputs)', async () => {
    const { toOnnxBytes } = await import('../onnx/serialize');
    for (const preset of ['seed', 'gpt2-small'] as const) {
      const g = buildTrainingGraph(spec(PRESETS[preset], 'view', 'minimal', 'f32'));
      expect(g.outputs[0]).toBe('loss');
      expect(g.outputs.length).toBe(1 + g.params.length);
      const bytes = toOnnxBytes(g, { batch: 1, paramsAsInputs: true });
      expect(bytes.byteLength).toBeGreaterThan(1000);
    }
  });

  it('builds an f16 graph for every strategy and retention, with f16 parameters and gradients', async () => {
    const { toOnnxBytes } = await import('../onnx/serialize');
    for (const [s, r] of combos) {
      const g = buildTrainingGraph(spec(PRESETS.tiny, s, r, 'f16'));
      for (const p of g.params) expect(g.info(p).dtype).toBe('f16');
      for (const o of g.outputs.slice(1)) expect(g.info(o).dtype).toBe('f16');
      expect(toOnnxBytes(g, { batch: 2, paramsAsInputs: true }).byteLength).toBeGreaterThan(0);
    }
  });
});
