import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import type { Curve, CurveRequest } from '../engine/explore/types';
import { PRESETS } from '../engine/models/spec';
import { testPlanConfig } from '../engine/testing/planConfig';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';
import { ComboPlanner } from '../engine/explore/planner';
import { adviseFit, FIT_PLANNER_CAPACITY, fitPlanRequests } from '../engine/fit/advisor';
import type { FitRequest } from '../engine/fit/types';
import { createPlanPool, type WorkerLike } from './planClient';
import { planWorkerApi } from './planWorkerApi';

/** A "worker" on the other end of a MessageChannel, answering with plan.worker.ts's own API. */
function channelWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  expose(planWorkerApi(), port2);
  return Object.assign(port1, { terminate: () => port1.close() });
}

const request = (embd: number): CurveRequest => ({
  config: testPlanConfig({ model: { ...PRESETS.tiny, embd } }),
  combo: { strategy: 'view', retention: 'minimal' },
  budgetBytes: 2 ** 24,
  limits: WEBGPU_DEFAULT_LIMITS,
  minBatch: 1,
  reserved: false,
});

describe('planWorkerApi', () => {
  it("plans ahead without evicting the shown curves' plans from its cache", async () => {
    const planner = new ComboPlanner(2);
    const api = planWorkerApi(planner);
    const shown = request(32);
    await api.curves([shown]);
    // Warm-ups cache their curves, not their plans: the cache of two plans still holds the shown one.
    api.warm(request(64));
    api.warm(request(128));
    expect(planner.size).toBe(1);
    expect(planner.plan(shown.config, shown.combo).source).toBe('cache');
    const builds = planner.stats.builds;
    expect((await api.curves([request(128)]))[0]).toMatchObject({ wire: { planMs: 0 } });
    expect(planner.stats.builds).toBe(builds);
  });
});

describe("the fit worker's question", () => {
  const req: FitRequest = {
    model: { ...PRESETS.tiny },
    chunk: 16,
    budgetBytes: 2 ** 26,
    effectiveBatch: 8,
    optimizer: 'adamw',
    dtypes: ['f32'],
    allocator: 'lazy',
    limits: { ...WEBGPU_DEFAULT_LIMITS },
  };

  it('is planned a plan a task (a stale one can be dropped between two), and answered as adviseFit answers it', async () => {
    const planner = new ComboPlanner();
    const api = planWorkerApi(planner);
    const plans = fitPlanRequests(req).length;
    // 12 combinations, with one micro-batch and with more (every k > 1 shares one plan).
    expect(plans).toBe(24);
    let answered = false;
    const answer = api.fit(req).then((a) => ((answered = true), a));
    // Other tasks run while the question is planned: after a few, some plans are made, not all.
    const seen: number[] = [];
    for (let i = 0; i < 4 && !answered; i++) {
      await new Promise((r) => setTimeout(r, 0));
      seen.push(planner.size);
    }
    expect(answered).toBe(false);
    expect(seen.some((n) => n > 0 && n < plans)).toBe(true);
    // The same answer as a fresh planner's, but for the time it took.
    const fresh = adviseFit(req, new ComboPlanner(FIT_PLANNER_CAPACITY));
    expect(await answer).toEqual({ ...fresh, ms: expect.any(Number) });
  });

  it('stops at its next plan once cancelFit comes, and the same worker answers the next question', async () => {
    const planner = new ComboPlanner();
    const api = planWorkerApi(planner);
    const plans = fitPlanRequests(req).length;
    const stopped = api.fit(req);
    await new Promise((r) => setTimeout(r, 0));
    api.cancelFit();
    await expect(stopped).rejects.toMatchObject({ name: 'Superseded' });
    const made = planner.size;
    expect(made).toBeLessThan(plans);
    // The plans made stay cached: the next question plans only the rest, and answers as a fresh one.
    const again = await api.fit(req);
    expect(planner.size).toBeGreaterThanOrEqual(plans);
    expect(again).toEqual({
      ...adviseFit(req, new ComboPlanner(FIT_PLANNER_CAPACITY)),
      ms: expect.any(Number),
    });
  });
});

describe('createPlanPool over comlink', () => {
  it('answers a curve, and rejects with the validation message for a model that cannot be built', async () => {
    const pool = createPlanPool(1, channelWorker);
    try {
      const curve = await pool.curves([request(32)])[0]!;
      expect(curve.budgetMaxBatch).toBeGreaterThan(0);
      await expect(pool.curves([request(30)])[0]!).rejects.toThrow(
        'embedding size 30 is not divisible by 4 heads',
      );
      // The worker goes on.
      expect((await pool.curves([request(64)])[0]!).points.length).toBeGreaterThan(0);
      // Planning ahead: the curve is planned into the worker's cache, and nothing comes back.
      await expect(pool.warm(request(128))).resolves.toBeUndefined();
      await expect(pool.warm(request(30))).rejects.toThrow('embedding size 30 is not divisible by 4 heads');
    } finally {
      pool.dispose();
    }
  });

  it('answers curves sent behind a warm-up in hand: the same curve a fresh planner plans', async () => {
    const pool = createPlanPool(1, channelWorker);
    try {
      const ahead = pool.warm(request(64));
      const [shown] = pool.curves([request(48)]);
      await expect(ahead).resolves.toBeUndefined();
      const curve = await shown!;
      const fresh = new ComboPlanner().curve(request(48));
      expect(curve.points).toEqual(fresh.points);
      expect(curve.budgetMaxBatch).toBe(fresh.budgetMaxBatch);
    } finally {
      pool.dispose();
    }
  });

  it('answers curves asked together in one batch, each on its own', async () => {
    const pool = createPlanPool(1, channelWorker);
    try {
      const [ok, bad, other] = (await Promise.allSettled(
        pool.curves([request(32), request(30), request(64)]),
      )) as [PromiseSettledResult<Curve>, PromiseSettledResult<Curve>, PromiseSettledResult<Curve>];
      expect(ok.status === 'fulfilled' && ok.value.budgetMaxBatch).toBeGreaterThan(0);
      expect(bad.status === 'rejected' && String(bad.reason)).toContain('embedding size 30 is not divisible');
      expect(other.status === 'fulfilled' && other.value.points.length).toBeGreaterThan(0);
    } finally {
      pool.dispose();
    }
  });
});

describe("the plan worker's batches", () => {
  it('a batch stops at its next curve once cancelCurves arrives; the next batch runs whole', async () => {
    const api = planWorkerApi();
    // Uncached plans of the seed shape take milliseconds: the batch yields after the first.
    const seed = (embd: number): CurveRequest => ({
      ...request(embd),
      config: { ...request(embd).config, model: { ...PRESETS.seed, embd } },
    });
    const stopped = api.curves([seed(384), seed(390), seed(396)]);
    api.cancelCurves();
    const first = await stopped;
    expect(first).toHaveLength(1);
    expect('wire' in first[0]! && first[0].wire.columns.length).toBeGreaterThan(0);
    const whole = await api.curves([seed(390), seed(396)]);
    expect(whole.map((o) => 'wire' in o)).toEqual([true, true]);
  });
});
