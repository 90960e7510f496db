/**
 * The loss strategies on a whole model: `chunked` gives `standard`'s loss and gradients (every
 * parameter, f32, 1e-5 relative to each gradient's largest entry) under every retention, and its
 * gradients match central finite differences (f64); the spec validation's messages.
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import { CpuRunner, finiteDifferences, relativeError, type Values } from '../testing/ortCpu';
import { buildTrainingGraph } from './build';
import { initParams, rng } from './init';
import { PRESETS, validateSpec, type BuildSpec, type ModelConfig } from './spec';
import type { LossStrategy, RetentionName } from '../vocabulary';

const BATCH = 2;
// 6 positions in loss chunks of 4 and 2; ReLU: onnxruntime's CPU backend has no f64 Erf.
const model: ModelConfig = {
  ...PRESETS.tiny,
  seq: 6,
  embd: 8,
  heads: 2,
  layers: 2,
  vocab: 11,
  activation: 'relu',
};

const spec = (loss: LossStrategy, retention: RetentionName, dtype: FloatDType): BuildSpec => ({
  model,
  strategy: 'view',
  retention,
  chunk: 4,
  dtype,
  optimizer: 'none',
  microBatches: 1,
  loss,
  lossChunk: 4,
});

function values(g: Graph): Values {
  const next = rng(21);
  const ids = () => Array.from({ length: BATCH * model.seq }, () => Math.floor(next() * model.vocab));
  return new Map<string, ArrayLike<number>>([...initParams(g, 11), ['tokens', ids()], ['targets', ids()]]);
}

async function run(s: BuildSpec): Promise<Map<string, Float64Array>> {
  const g = buildTrainingGraph(s);
  const runner = await CpuRunner.create(g, BATCH);
  const out = await runner.run(values(g));
  await runner.release();
  return out;
}

describe('the chunked loss on the model', () => {
  it('gradients of every parameter match finite differences (f64)', async () => {
    const g = buildTrainingGraph(spec('chunked', 'minimal', 'f64'));
    const runner = await CpuRunner.create(g, BATCH);
    const wrt = g.outputs.slice(1).map((o) => o.replace(/^grad\//, ''));
    const checks = await finiteDifferences(runner, values(g), wrt, { samples: 3, eps: 1e-5 });
    await runner.release();
    expect(new Set(checks.map((c) => c.tensor))).toEqual(new Set(g.params));
    for (const c of checks)
      expect(relativeError(c.analytic, c.numeric), `${c.tensor}[${c.index}]`).toBeLessThan(1e-5);
  });

  it.each(['minimal', 'tape', 'checkpoint'] as const)(
    '%s: the same loss and gradients as the standard loss (f32, 1e-5)',
    async (retention) => {
      const standard = await run(spec('standard', retention, 'f32'));
      const chunked = await run(spec('chunked', retention, 'f32'));
      const names = [...standard.keys()].filter((k) => k === 'loss' || k.startsWith('grad/'));
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) {
        const [a, b] = [chunked.get(name)!, standard.get(name)!];
        expect(a, name).toHaveLength(b.length);
        const scale = Math.max(...b.map(Math.abs));
        a.forEach((v, i) => expect(Math.abs(v - b[i]!) / scale, `${name}[${i}]`).toBeLessThan(1e-5));
      }
    },
  );

  it('is refused, with the reason, where it cannot be built', () => {
    const messages = (s: BuildSpec) => validateSpec(s).map((e) => `${e.field}: ${e.message}`);
    expect(
      messages({ ...spec('chunked', 'minimal', 'f32'), model: { ...model, attentionOnly: true } }),
    ).toEqual([
      'loss: the chunked loss chunks the LM head and cross-entropy: an attention-only model has neither (its loss is mean(y²))',
    ]);
    expect(messages({ ...spec('chunked', 'minimal', 'f32'), lossChunk: 0 })).toEqual([
      'lossChunk: lossChunk must be a positive integer, got 0',
    ]);
    expect(messages({ ...spec('standard', 'minimal', 'f32'), loss: 'fused' as LossStrategy })).toEqual([
      'loss: loss must be one of standard, chunked, got fused',
    ]);
    expect(messages(spec('chunked', 'minimal', 'f32'))).toEqual([]);
  });
});
