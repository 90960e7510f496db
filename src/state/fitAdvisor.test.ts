/** The fit advisor's panel in the page's store, over a fake plan pool. */
import { describe, expect, it } from 'vitest';
import type { FitAnswer, FitRequest } from '../engine/fit/types';
import { createFakeApi } from './fakeApi';
import { createFakePlan, fakeFit, type FakePlan, type FakePlanOptions } from './fakePlan';
import { fitBatchError, fitDtypesOf, fitRequestOf, withSetup } from './fitAdvisor';
import { DEFAULT_CONFIG } from './pageConfig';
import { createAppStore, type StoreDeps } from './store';

const tick = () => new Promise((r) => setTimeout(r, 0));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fitCalls = (plan: FakePlan) =>
  plan.calls.flatMap((c) => (c.kind === 'fit' ? [c.req] : ([] as FitRequest[])));

function setup(opts: { plan?: FakePlanOptions; deps?: Partial<StoreDeps> } = {}) {
  const plan = createFakePlan(opts.plan);
  const store = createAppStore({
    measure: createFakeApi(),
    plan,
    writeUrl: () => {},
    detailDelayMs: 0,
    fitDelayMs: 0,
    curvesFlushMs: 0,
    prefetchDelayMs: 0,
    ...opts.deps,
  });
  return { store, plan, s: () => store.getState() };
}

describe('fitRequestOf', () => {
  it("asks about the page's model, budget, optimizer, allocator, loss, limits, at the effective batch", () => {
    const c = { ...DEFAULT_CONFIG, optimizer: 'adamw', loss: 'chunked', lossChunk: 64 } as const;
    const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 29 };
    expect(fitRequestOf(c, limits, 64)).toEqual({
      model: c.model,
      chunk: c.chunk,
      loss: 'chunked',
      lossChunk: 64,
      budgetBytes: 6e9,
      effectiveBatch: 64,
      optimizer: 'adamw',
      dtypes: ['f32', 'mixed'],
      allocator: 'lazy',
      limits,
    });
  });

  it("tries f32 and mixed, and the page's own dtype", () => {
    expect(fitDtypesOf('f32')).toEqual(['f32', 'mixed']);
    expect(fitDtypesOf('f16')).toEqual(['f32', 'f16', 'mixed']);
  });

  it('names a bad effective batch in the panel box’s words', () => {
    expect(fitBatchError(Number.NaN)).toBe('Effective batch needs a value');
    expect(fitBatchError(0)).toBe('Effective batch must be a whole number between 1 and 1048576');
    expect(fitBatchError(2.5)).toBe('Effective batch must be a whole number between 1 and 1048576');
    expect(fitBatchError(64)).toBeNull();
  });

  it('a setup applied: its combination added and shown, its dtype, k micro-batches of b', () => {
    const { config, selected } = withSetup(DEFAULT_CONFIG, {
      strategy: 'chunked',
      retention: 'checkpoint',
      dtype: 'mixed',
      microBatch: 16,
      microBatches: 4,
    });
    expect(config.combos.map((c) => `${c.strategy}/${c.retention}`)).toEqual([
      'copy/tape',
      'view/minimal',
      'fused/minimal',
      'chunked/checkpoint',
    ]);
    expect(config).toMatchObject({ dtype: 'mixed', microBatches: 4, batch: 16 });
    expect(selected).toEqual({ combo: { strategy: 'chunked', retention: 'checkpoint' }, batch: 16 });
  });
});

describe('the fit advisor panel', () => {
  it("asks once the curves are in, at the page's batch × micro-batches, and shows the answer", async () => {
    const { plan, s } = setup({ plan: { manual: true } });
    await tick();
    expect(s().fit.status).toBe('loading');
    expect(fitCalls(plan)).toHaveLength(0); // the curves first
    await plan.release((c) => c.kind === 'curve');
    await wait(30);
    expect(fitCalls(plan)).toEqual([fitRequestOf(s().config, s().limits, 64)]);
    await plan.release((c) => c.kind === 'fit');
    expect(s().fit.status).toBe('ready');
    expect(s().fit.answer).toEqual(fakeFit(fitCalls(plan)[0]!));

    s().setMicroBatches(4);
    await plan.release((c) => c.kind !== 'fit');
    await wait(30);
    expect(fitCalls(plan).at(-1)!.effectiveBatch).toBe(256);
  });

  it('asks again only once the controls rest, stopping the stale question', async () => {
    const { plan, s } = setup({ deps: { detailDelayMs: 40, fitDelayMs: 40 } });
    await wait(80);
    expect(fitCalls(plan)).toHaveLength(1);
    const cancelled = plan.fitCancelled;
    for (const gb of [7, 8, 9]) s().setBudgetGb(gb);
    expect(plan.fitCancelled).toBeGreaterThan(cancelled);
    await wait(10);
    expect(fitCalls(plan)).toHaveLength(1);
    await wait(120);
    expect(fitCalls(plan).map((r) => r.budgetBytes)).toEqual([6e9, 9e9]);
    expect(s().fit.answer?.budgetBytes).toBe(9e9);
    // The same question again (a change the advisor does not depend on) is not asked again.
    s().setMetric('reserved');
    s().select({ combo: { strategy: 'view', retention: 'minimal' }, batch: 64 });
    await wait(120);
    expect(fitCalls(plan)).toHaveLength(2);
  });

  it('never lets a stale answer replace a newer one', async () => {
    const fake = createFakePlan();
    const pending: { req: FitRequest; resolve: (a: FitAnswer) => void }[] = [];
    // A pool whose cancelFit stops nothing: the stale answer still arrives, after the newer one.
    const plan = {
      ...fake,
      fit: (req: FitRequest) => new Promise<FitAnswer>((resolve) => pending.push({ req, resolve })),
      cancelFit: () => {},
    };
    const store = createAppStore({
      measure: createFakeApi(),
      plan,
      writeUrl: () => {},
      detailDelayMs: 0,
      fitDelayMs: 0,
    });
    const s = () => store.getState();
    await wait(30);
    s().setFitBatch(32);
    await wait(30);
    expect(pending.map((p) => p.req.effectiveBatch)).toEqual([64, 32]);
    pending[1]!.resolve(fakeFit(pending[1]!.req));
    await tick();
    pending[0]!.resolve(fakeFit(pending[0]!.req));
    await tick();
    expect(s().fit.answer?.effectiveBatch).toBe(32);
    expect(s().fit.status).toBe('ready');
  });

  it('its own effective batch: validated, followed, and back to the page’s on null', async () => {
    const { plan, s } = setup();
    await wait(30);
    s().setFitBatch(Number.NaN);
    expect(s().fit).toMatchObject({ status: 'idle', answer: null });
    s().setFitBatch(48);
    await wait(30);
    expect(fitCalls(plan).at(-1)!.effectiveBatch).toBe(48);
    s().setBatch(16); // an own effective batch does not follow the slider
    await wait(30);
    expect(fitCalls(plan).at(-1)!.effectiveBatch).toBe(48);
    s().setFitBatch(null);
    await wait(30);
    expect(fitCalls(plan).at(-1)!.effectiveBatch).toBe(16);
    expect(s().fit.answer?.effectiveBatch).toBe(16);
  });

  it('asks nothing for a configuration that cannot be built, and says the planner’s error', async () => {
    const { plan, s } = setup({ plan: { fail: (c) => (c.kind === 'fit' ? 'the model is too big' : null) } });
    await wait(30);
    expect(s().fit).toMatchObject({ status: 'error', error: 'the model is too big' });
    const asked = fitCalls(plan).length;
    s().setModelField('heads', 5);
    await wait(30);
    expect(fitCalls(plan)).toHaveLength(asked);
    expect(s().fit).toMatchObject({ status: 'idle', answer: null, error: null });
  });

  it('applying a setup sets the combinations, dtype and micro-batches, and keeps the answer', async () => {
    const { plan, s } = setup();
    s().setOptimizer('adamw');
    await wait(30);
    const answer = s().fit.answer!;
    const pick = answer.fitting.find((f) => f.microBatches > 1)!;
    s().applySetup(pick);
    expect(s().config).toMatchObject({
      dtype: pick.dtype,
      microBatches: pick.microBatches,
      batch: pick.microBatch,
    });
    expect(s().config.combos).toContainEqual({ strategy: pick.strategy, retention: pick.retention });
    expect(s().selected).toEqual({
      combo: { strategy: pick.strategy, retention: pick.retention },
      batch: pick.microBatch,
    });
    await wait(30);
    // k·b is the effective batch asked about: the question (and its answer) stay.
    expect(fitCalls(plan)).toHaveLength(1);
    expect(s().fit.answer).toBe(answer);
  });
});
