import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../models/build';
import { attentionLayerModel } from '../models/config';
import { planGraph } from '../plan/plan';
import { testPlanConfig } from '../testing/planConfig';
import { CATEGORIES, type Category } from '../vocabulary';
import { alignNodes, compareSteps } from './compare';
import { stepDetail } from './step';
import type { Combo, PeakTensor, StepDetail, TimelineRow } from './types';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** A timeline row with only what a comparison reads. */
const node = (name: string, opType: string, allocBytes: number): TimelineRow => ({
  node: name,
  opType,
  phase: 'forward',
  scope: 'block0/attention',
  allocBytes,
  freedBytes: 0,
  liveBytesAfter: 0,
  outputs: [],
  gpuMs: null,
  step: 0,
  liveByCategory: [],
  liveBytes: 0,
});

const held = (producer: string, bytes: number): PeakTensor => ({
  tensor: `${producer}:out`,
  producer,
  opType: 'x',
  scope: '',
  category: 'activation',
  shape: [],
  dtype: 'f32',
  bytes,
  from: producer,
  until: 'end',
});

function step(
  combo: Combo,
  batch: number,
  peakBytes: number,
  timeline: TimelineRow[],
  atPeak: PeakTensor[],
): StepDetail {
  return {
    combo,
    batch,
    peakBytes,
    peakStep: 0,
    peakNode: '',
    floorBytes: null,
    reservedPeakBytes: 0,
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
    byScope: { attention: 0, other: 0 },
    timeline,
    atPeak,
  };
}

const copyTape: Combo = { strategy: 'copy', retention: 'tape' };
const viewMinimal: Combo = { strategy: 'view', retention: 'minimal' };

describe('alignNodes', () => {
  it("a's order; b's own nodes after their predecessor in b, runs kept together, leading ones first", () => {
    expect(alignNodes(['a', 'b', 'c', 'd'], ['x', 'a', 'b', 'y', 'z', 'd', 'w'])).toEqual([
      'x',
      'a',
      'b',
      'y',
      'z',
      'c',
      'd',
      'w',
    ]);
    expect(alignNodes(['a'], [])).toEqual(['a']);
  });
});

describe('compareSteps', () => {
  // a: 14 Transposes of 150 MiB each (2.05 GiB) where b has none; both have a MatMul.
  const transposes = Array.from({ length: 14 }, (_, i) => node(`t${i}`, 'Transpose', 150 * MiB));
  const a = step(
    copyTape,
    64,
    3 * GiB,
    [node('input', 'Input', MiB), ...transposes, node('mm', 'MatMul', GiB)],
    [held('t0', 150 * MiB), held('t1', 150 * MiB), held('mm', 100 * MiB), held('mm', 28 * MiB)],
  );
  const b = step(
    viewMinimal,
    64,
    1.75 * GiB,
    [node('input', 'Input', MiB), node('mm', 'MatMul', GiB), node('v', 'Reshape', 0)],
    [held('mm', 64 * MiB)],
  );

  it('the summary: how much more a holds at the peak, and the op type allocating most more', () => {
    // 3 GiB - 1.75 GiB = 1.25 GiB; 14 x 150 MiB = 2100 MiB = 2.05 GiB.
    expect(compareSteps(a, b).summary).toBe(
      'copy/tape holds 1.25 GiB more than view/minimal at the peak of batch 64; 14 Transposes allocate 2.05 GiB',
    );
  });

  it('less, the same, one node, different batches', () => {
    expect(compareSteps(b, a).summary).toBe(
      'view/minimal holds 1.25 GiB less than copy/tape at the peak of batch 64',
    );
    const one = step(copyTape, 8, 1.75 * GiB, [node('mm', 'MatMul', GiB + 512 * MiB)], []);
    expect(compareSteps(one, { ...b, batch: 16 }).summary).toBe(
      'copy/tape holds the same as view/minimal at the peaks of batches 8 and 16; 1 MatMul allocates 1.50 GiB',
    );
  });

  it('rows aligned by name, with allocated and held bytes per side', () => {
    const c = compareSteps(a, b);
    expect(c.rows.map((r) => r.node)).toEqual(['input', ...transposes.map((t) => t.node), 'mm', 'v']);
    const byName = new Map(c.rows.map((r) => [r.node, r]));
    expect(byName.get('mm')).toMatchObject({
      opType: 'MatMul',
      a: { allocBytes: GiB, heldAtPeak: 128 * MiB },
      b: { allocBytes: GiB, heldAtPeak: 64 * MiB },
    });
    expect(byName.get('t0')).toMatchObject({ a: { allocBytes: 150 * MiB, heldAtPeak: 150 * MiB }, b: null });
    expect(byName.get('t5')!.a!.heldAtPeak).toBe(0);
    expect(byName.get('v')).toMatchObject({
      opType: 'Reshape',
      a: null,
      b: { allocBytes: 0, heldAtPeak: 0 },
    });
    expect([c.a, c.b]).toEqual([
      { combo: copyTape, batch: 64, peakBytes: 3 * GiB },
      { combo: viewMinimal, batch: 64, peakBytes: 1.75 * GiB },
    ]);
  });

  it('two real steps: every node of both, and the held bytes are the peak less the initializers', () => {
    const model = attentionLayerModel({ seq: 8, embd: 16, heads: 2 });
    const detail = (combo: Combo) => {
      const g = buildTrainingGraph({
        model,
        ...combo,
        chunk: 4,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
      });
      const plan = planGraph(g, { allocator: 'lazy', floor: model });
      return stepDetail(plan, {
        config: testPlanConfig({ model, chunk: 4 }),
        combo,
        batch: 4,
      });
    };
    const [x, y] = [detail(copyTape), detail({ strategy: 'chunked', retention: 'minimal' })];
    const c = compareSteps(x, y);
    expect(new Set(c.rows.map((r) => r.node))).toEqual(
      new Set([...x.timeline, ...y.timeline].map((r) => r.node)),
    );
    expect(c.rows.length).toBe(new Set(c.rows.map((r) => r.node)).size);
    for (const [side, s] of [
      ['a', x],
      ['b', y],
    ] as const) {
      const heldByNodes = c.rows.reduce((n, r) => n + (r[side]?.heldAtPeak ?? 0), 0);
      const initializers = s.atPeak
        .filter((t) => t.producer === 'initializer')
        .reduce((n, t) => n + t.bytes, 0);
      expect(heldByNodes).toBe(s.peakBytes - initializers);
    }
    expect(c.summary).toMatch(
      /^copy\/tape holds .* more than chunked\/minimal at the peak of batch 4; \d+ \w+s? allocates? /,
    );
  });
});
