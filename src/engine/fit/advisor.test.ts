/**
 * The fit advisor on the seed story: every setup at effective batch 64 on a 6 GiB budget with
 * AdamW, its numbers derived from the planner (so they stay right when the planner learns the
 * optimizer), the suspects' sum, and the answer in sentences.
 */
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../explore/planner';
import { PRESETS } from '../models/spec';
import { formatBytes } from '../report/bytes';
import { bufferLimit, WEBGPU_DEFAULT_LIMITS } from '../vocabulary';
import { adviseFit, FIT_PLANNER_CAPACITY, validateFitRequest } from './advisor';
import { planConfigFor } from './planConfig';
import { paramCount } from './flops';
import { setupLabel } from './rank';
import type { FitRequest, Setup } from './types';

const GiB = 2 ** 30;
const SEED: FitRequest = {
  model: { ...PRESETS.seed },
  chunk: 64,
  budgetBytes: 6 * GiB,
  effectiveBatch: 64,
  optimizer: 'adamw',
  dtypes: ['f32', 'mixed'],
  allocator: 'lazy',
  limits: { ...WEBGPU_DEFAULT_LIMITS },
};

const planner = new ComboPlanner(FIT_PLANNER_CAPACITY);
const answer = adviseFit(SEED, planner);
const base = {
  model: SEED.model,
  chunk: SEED.chunk,
  allocator: SEED.allocator,
  loss: 'standard',
  lossChunk: 128,
} as const;

/** The peak the planner gives `s` at its micro-batch. */
function plannedPeak(s: Setup, allocator = SEED.allocator): number {
  const { plan } = planner.plan(planConfigFor({ ...base, allocator }, s, 'adamw'), s);
  return plan.peakBytes(s.microBatch);
}

describe('fit advisor, seed at batch 64 on 6 GiB with AdamW', () => {
  it('judges every strategy × retention × dtype × divisor of 64 by its planned peak and largest buffer', () => {
    const all = [...answer.fitting, ...answer.notFitting];
    expect(all).toHaveLength(4 * 3 * 2 * 7);
    const cap = bufferLimit(SEED.limits).bytes;
    for (const s of all) {
      const { plan } = planner.plan(planConfigFor(base, s, 'adamw'), s);
      expect(s.peakBytes).toBe(plannedPeak(s));
      expect(s.headroomBytes).toBe(SEED.budgetBytes - s.peakBytes);
      expect(s.largestBuffer).toEqual(plan.largestBuffer(s.microBatch));
      expect(s.fits).toBe(s.peakBytes <= SEED.budgetBytes && plan.largestBufferBytes(s.microBatch) <= cap);
    }
    // The port does not fit, PyTorch eager (view/minimal) does: the seed story.
    const label = (l: string) => all.find((s) => setupLabel(s) === l)!;
    expect(label('copy/tape, f32, 64').fits).toBe(false);
    expect(label('view/minimal, f32, 64').fits).toBe(true);
  });

  it('ranks the fitting setups by expected step time and names the fastest', () => {
    const times = answer.fitting.map((s) => s.time.ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(answer.fastest).toBe(answer.fitting[0]);
    for (const s of answer.fitting) {
      expect(s.time.source).toBe('estimated');
      expect(s.time.ms).toBeCloseTo(s.time.estimatedMs, 9);
      expect(s.time.ms).toBeGreaterThan(0);
    }
    // More micro-batches of the same setup repeat every dispatch and weight read: never faster.
    const fastest = answer.fastest!;
    const same = answer.fitting.filter(
      (s) =>
        s.strategy === fastest.strategy && s.retention === fastest.retention && s.dtype === fastest.dtype,
    );
    for (const s of same) expect(s.time.ms).toBeGreaterThanOrEqual(fastest.time.ms);
  });

  it("plans each setup with AdamW's state: two f32 moments per parameter, live at the peak", () => {
    const s: Setup = {
      strategy: 'view',
      retention: 'minimal',
      dtype: 'mixed',
      microBatch: 16,
      microBatches: 4,
    };
    const { plan } = planner.plan(planConfigFor(base, s, 'adamw'), s);
    const g = plan.graph;
    const moments = g.inputs.filter((i) => /^exp_avg(_sq)?\//.test(i));
    expect(moments).toHaveLength(2 * g.params.length);
    // Every seed parameter tensor is a multiple of 16 bytes: no rounding.
    const bytes = moments.reduce(
      (n, i) => n + 4 * g.info(i).shape.reduce<number>((a, d) => a * Number(d), 1),
      0,
    );
    expect(bytes).toBe(2 * 4 * paramCount(SEED.model));
    expect(plan.summary(16).byCategory['optimizer state']).toBeGreaterThanOrEqual(bytes);
  });

  it('prices the suspects as a chain whose links add up to the port reserved minus flash attention live', () => {
    const { suspects } = answer;
    expect(suspects.suspects.map((x) => x.name)).toEqual([
      'copying permutes',
      'tape',
      'score tensors',
      'pool',
    ]);
    const port = suspects.port;
    const fused = plannedPeak({ ...port, strategy: 'fused', retention: 'minimal' }, 'lazy');
    const total = suspects.suspects.reduce((sum, x) => sum + x.bytes, 0);
    expect(total).toBe(suspects.portReservedBytes - fused);
    expect(suspects.portLiveBytes).toBe(plannedPeak(port, 'lazy'));
    expect(suspects.suspects[0]!.bytes).toBe(
      plannedPeak(port, 'lazy') - plannedPeak({ ...port, strategy: 'view' }, 'lazy'),
    );
    for (const x of suspects.suspects) expect(x.bytes).toBeGreaterThan(0);
  });

  it('says which setups fit, which is fastest and what makes batch 64 fit, in sentences', () => {
    const [costs, count, fastest, closest] = answer.sentences;
    expect(answer.sentences).toHaveLength(4);
    expect(costs).toMatch(
      /^At batch 64 the port \(copy\/tape, f32, AdamW\) peaks at .* the copying permutes .* the tape .* the score tensors .* and the pool /,
    );
    expect(count).toBe(
      `${answer.fitting.length} of 168 setups train at effective batch 64 within 6.00 GiB with AdamW.`,
    );
    expect(fastest).toContain(`Fastest: ${setupLabel(answer.fastest!)}: about `);
    // The closest fitting setups change one thing each; each is named.
    expect(answer.closest.every((s) => s.changes.length === 1)).toBe(true);
    expect(closest).toContain('What makes batch 64 fit with one change to the port: ');
    expect(closest).toContain(`${answer.closest[0]!.changes[0]} (${setupLabel(answer.closest[0]!)}`);
  });

  it('answers again from the planner cache, building no graph', () => {
    const builds = planner.stats.builds;
    const again = adviseFit(SEED, planner);
    expect(again.fitting.map(setupLabel)).toEqual(answer.fitting.map(setupLabel));
    expect(planner.stats.builds).toBe(builds);
  });

  it('refuses a request it cannot answer, saying why', () => {
    expect(validateFitRequest(SEED)).toEqual([]);
    expect(validateFitRequest({ ...SEED, effectiveBatch: 0, dtypes: [] })).toEqual([
      'the effective batch must be a whole number from 1 to 1048576, got 0',
      'at least one dtype must be tried',
    ]);
    expect(() => adviseFit({ ...SEED, model: { ...SEED.model, heads: 5 } })).toThrow(
      /not divisible by 5 heads/,
    );
  });
});

describe('fit advisor, nothing fits', () => {
  it('says so and names the smallest peak', () => {
    const tiny = adviseFit({ ...SEED, budgetBytes: 1024 }, planner);
    expect(tiny.fitting).toEqual([]);
    expect(tiny.fastest).toBeNull();
    const smallest = tiny.notFitting[0]!;
    expect(tiny.notFitting.every((s) => s.peakBytes >= smallest.peakBytes)).toBe(true);
    expect(tiny.sentences[1]).toBe(
      `No setup trains at effective batch 64 within 1.00 KiB; the smallest peak is ` +
        `${formatBytes(smallest.peakBytes)} (${setupLabel(smallest)}).`,
    );
  });
});
