/** The attention layer: gradients against finite differences, and copy vs view agreement. */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/graph';
import { CpuRunner, finiteDifferences, relativeError, type Values } from '../testing/ortCpu';
import { buildAttentionStep } from './attention';
import { initParams, randomInputs } from './init';

const config = { seq: 5, embd: 8, heads: 2 };
const BATCH = 2;

function values(g: Graph): Values {
  return new Map([...initParams(g, 11), ...randomInputs(g, BATCH, 12)]);
}

const opTypes = (g: Graph, phase?: string) =>
  g.nodes.filter((n) => !phase || n.phase === phase).map((n) => n.opType);

describe('attention layer', () => {
  for (const strategy of ['copy', 'view'] as const) {
    it(`${strategy}: every gradient matches central finite differences (f64)`, async () => {
      const g = buildAttentionStep(config, strategy, { dtype: 'f64' });
      const runner = await CpuRunner.create(g, BATCH);
      const wrt = [...g.params, 'x'];
      const checks = await finiteDifferences(runner, values(g), wrt, { samples: 5 });
      await runner.release();
      expect(new Set(checks.map((c) => c.tensor))).toEqual(new Set(wrt));
      for (const c of checks) {
        expect(relativeError(c.analytic, c.numeric), `${c.tensor}[${c.index}]`).toBeLessThan(1e-3);
      }
    });
  }

  it('copy and view give the same loss and gradients (f32, 1e-5)', async () => {
    const outputs = [];
    for (const strategy of ['copy', 'view'] as const) {
      const g = buildAttentionStep(config, strategy, { dtype: 'f32' });
      const runner = await CpuRunner.create(g, BATCH);
      outputs.push(await runner.run(values(g)));
      await runner.release();
    }
    const [copy, view] = outputs as [Map<string, Float64Array>, Map<string, Float64Array>];
    expect([...copy.keys()].sort()).toEqual([...view.keys()].sort());
    const scale = (a: Float64Array) => Math.max(...a.map(Math.abs));
    for (const [name, a] of copy) {
      const b = view.get(name)!;
      expect(b, name).toHaveLength(a.length);
      const s = scale(a);
      expect(s, name).toBeGreaterThan(0);
      for (let i = 0; i < a.length; i++)
        expect(Math.abs(a[i]! - b[i]!) / s, `${name}[${i}]`).toBeLessThan(1e-5);
    }
  });

  it('copy materialises its permutes forward and backward; view has no Transpose at all', () => {
    const copy = buildAttentionStep(config, 'copy');
    const view = buildAttentionStep(config, 'view');
    // q, k, v head splits, the k transpose and the merge: 5 forward Transposes.
    expect(opTypes(copy, 'forward').filter((t) => t === 'Transpose')).toHaveLength(5);
    // Their 5 gradients, plus the transposed operands of the two batched MatMuls' gradients (2 each).
    expect(opTypes(copy, 'backward').filter((t) => t === 'Transpose')).toHaveLength(9);
    expect(opTypes(view)).not.toContain('Transpose');
    expect(opTypes(view).filter((t) => t === 'Einsum').length).toBeGreaterThanOrEqual(2);
  });

  it('outputs the loss and a gradient for every parameter and the input, with unchanged names', () => {
    const copy = buildAttentionStep(config, 'copy');
    const view = buildAttentionStep(config, 'view');
    const expected = [
      'loss',
      'grad/transformer.h.0.attn.c_attn.weight',
      'grad/transformer.h.0.attn.c_attn.bias',
      'grad/transformer.h.0.attn.c_proj.weight',
      'grad/transformer.h.0.attn.c_proj.bias',
      'grad/x',
    ];
    expect(copy.outputs).toEqual(expected);
    expect(view.outputs).toEqual(expected);
  });

  it('tags every node with its scope and phase', () => {
    const g = buildAttentionStep(config, 'view');
    for (const n of g.nodes) {
      expect(n.scope, n.name).toMatch(/^(block0\/attention(\/c_attn|\/c_proj)?|loss|grad)$/);
      expect(n.name.startsWith(n.scope + '/'), n.name).toBe(true);
    }
    expect(g.nodes.some((n) => n.phase === 'backward' && n.scope.startsWith('block0/attention'))).toBe(true);
  });

  it('refuses an embedding size not divisible by the heads', () => {
    expect(() => buildAttentionStep({ seq: 4, embd: 10, heads: 3 }, 'copy')).toThrow(
      /not divisible by 3 heads/,
    );
  });
});
