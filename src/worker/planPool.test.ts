import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { hashKey, routeKey } from '../engine/explore/key';
import { PRESETS } from '../engine/models/spec';
import { testPlanConfig } from '../engine/testing/planConfig';
import type { Combo, Curve, CurveRequest, PlanConfig, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';
import { FIT_CANCEL_GRACE_MS } from './fitSlot';
import { createPoolWith, defaultPoolSize, type PlanEndpoint } from './planPool';
import { toWire } from './curveWire';
import type { CurveOutcome } from './planWorkerApi';

type Req = CurveRequest | CurveRequest[] | StepRequest | FitRequest;

/** A fake worker: records its calls and answers them when the test says so. */
class FakeEndpoint implements PlanEndpoint {
  readonly calls: { method: string; req: Req; settle: (v: unknown, ok?: boolean) => void }[] = [];
  closed = false;
  cancels = 0;
  fitCancels = 0;
  constructor(
    readonly id: number,
    readonly die: (reason: string) => void,
    readonly role: 'plan' | 'fit' = 'plan',
  ) {}
  private call<T>(method: string, req: Req): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.push({ method, req, settle: (v, ok = true) => (ok ? resolve(v as T) : reject(v)) });
    });
  }
  curves = (reqs: CurveRequest[]) => this.call<CurveOutcome[]>('curves', reqs);
  cancelCurves = () => {
    this.cancels++;
  };
  warm = (req: CurveRequest) => this.call<void>('warm', req);
  step = (req: StepRequest) => this.call<never>('step', req);
  compare = (a: StepRequest) => this.call<never>('compare', a);
  fit = (req: FitRequest) => this.call<FitAnswer>('fit', req);
  cancelFit = () => {
    this.fitCancels++;
  };
  close = () => {
    this.closed = true;
  };
}

function fakePool(size: number, quietMs?: number) {
  const opened: FakeEndpoint[] = [];
  const pool = createPoolWith(
    size,
    (died, role) => {
      const e = new FakeEndpoint(opened.length, died, role);
      opened.push(e);
      return e;
    },
    quietMs,
  );
  return { pool, opened };
}

const config: PlanConfig = testPlanConfig({ model: PRESETS.seed, chunk: 64 });
const curveReq = (combo: Combo, over: Partial<PlanConfig> = {}): CurveRequest => ({
  config: { ...config, ...over },
  combo,
  budgetBytes: 2 ** 30,
  limits: WEBGPU_DEFAULT_LIMITS,
  minBatch: 1,
  reserved: false,
});
const view: Combo = { strategy: 'view', retention: 'minimal' };
const slotOf = (req: CurveRequest, size: number) => hashKey(routeKey(req.config, req.combo)) % size;
/** Lets queued promise callbacks run. */
const tick = () => new Promise((r) => setTimeout(r, 0));
/**
 * A fake clock for the tests of "while the page draws an answer": its window (tens of ms) must not
 * depend on how busy the machine is. Its own tick, and a wait of `ms`.
 */
function fakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  onTestFinished(() => void vi.useRealTimers());
  return {
    tick: () => vi.advanceTimersByTimeAsync(0),
    wait: (ms: number) => vi.advanceTimersByTimeAsync(ms),
  };
}
const fakeCurve = (combo: Combo) => ({ combo, points: [] }) as unknown as Curve;
/** A batch's answer: each curve planned. */
const planned = (...combos: Combo[]): CurveOutcome[] => combos.map((c) => ({ wire: toWire(fakeCurve(c)) }));

/** Two combos that land on different workers of a pool of 2. */
function twoWorkers(): [Combo, Combo] {
  const combos: Combo[] = ['copy', 'view', 'fused', 'chunked'].flatMap((strategy) =>
    ['minimal', 'checkpoint'].map((retention) => ({ strategy, retention }) as Combo),
  );
  const a = combos.find((c) => slotOf(curveReq(c), 2) === 0)!;
  const b = combos.find((c) => slotOf(curveReq(c), 2) === 1)!;
  return [a, b];
}

describe('defaultPoolSize', () => {
  it('one less than the cores, 2 to 4 from 2 cores, 1 where unknown or single', () => {
    expect([undefined, 1, 2, 3, 4, 8, 64].map(defaultPoolSize)).toEqual([1, 1, 2, 2, 3, 4, 4]);
  });
});

describe('the plan pool', () => {
  it('routes a combination to one worker, and a tape to the worker of its minimal graph', async () => {
    const { pool, opened } = fakePool(3);
    const req = curveReq(view);
    const tape = curveReq({ strategy: 'view', retention: 'tape' }, { allocator: 'bucket' });
    void pool.step({ config, combo: view, batch: 2 });
    void pool.curves([tape])[0]!;
    const slot = slotOf(req, 3);
    await tick();
    expect(opened[slot]!.calls.map((c) => c.method)).toEqual(['step']);
    opened[slot]!.calls[0]!.settle({});
    await tick();
    expect(opened[slot]!.calls.map((c) => c.req)).toEqual([{ config, combo: view, batch: 2 }, [tape]]);
    expect(opened.filter((e) => e.id !== slot).every((e) => e.calls.length === 0)).toBe(true);
  });

  it('curves asked together are sent before curves() returns, one batch per worker, each answered on its own', async () => {
    const { pool, opened } = fakePool(2);
    const [a, b] = twoWorkers();
    const bucket = { allocator: 'bucket' } as const;
    const asked = pool.curves([curveReq(a), curveReq(b), curveReq(a, bucket)]);
    // No tick: the page draws the moved control after this, while the workers plan.
    expect(opened[0]!.calls.map((c) => c.req)).toEqual([[curveReq(a), curveReq(a, bucket)]]);
    expect(opened[1]!.calls.map((c) => c.req)).toEqual([[curveReq(b)]]);
    // A batch of one is a batch too; a curve asked later waits for the next batch.
    const [later] = pool.curves([curveReq(a)]);
    opened[1]!.calls[0]!.settle(planned(b));
    await expect(asked[1]).resolves.toEqual(fakeCurve(b));
    opened[0]!.calls[0]!.settle([
      { wire: toWire(fakeCurve(a)) },
      { error: { name: 'Error', message: 'embedding size 30 is not divisible by 4 heads' } },
    ]);
    await expect(asked[0]).resolves.toEqual(fakeCurve(a));
    // One curve that cannot be built rejects that curve only, with the worker's message.
    await expect(asked[2]).rejects.toThrow('embedding size 30 is not divisible by 4 heads');
    await tick();
    expect(opened[0]!.calls.map((c) => c.req)).toHaveLength(2);
    opened[0]!.calls[1]!.settle(planned(a));
    await expect(later).resolves.toEqual(fakeCurve(a));
  });

  it('one request in flight per worker; answers in order; workers run side by side', async () => {
    const { pool, opened } = fakePool(2);
    const [a, b] = twoWorkers();
    const first = pool.step({ config, combo: a, batch: 2 });
    const second = pool.curves([curveReq(a, { allocator: 'bucket' })])[0]!;
    const other = pool.curves([curveReq(b)])[0]!;
    await tick();
    expect(opened[0]!.calls).toHaveLength(1);
    expect(opened[1]!.calls).toHaveLength(1);
    opened[1]!.calls[0]!.settle(planned(b));
    await expect(other).resolves.toEqual(fakeCurve(b));
    opened[0]!.calls[0]!.settle({ batch: 2 });
    await expect(first).resolves.toEqual({ batch: 2 });
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['step', 'curves']);
    opened[0]!.calls[1]!.settle(planned(a));
    await expect(second).resolves.toEqual(fakeCurve(a));
  });

  it('a warm-up waits behind every request asked after it, and cancelQueued drops it too', async () => {
    const { pool, opened } = fakePool(1);
    const running = pool.curves([curveReq(view)])[0]!;
    const ahead = pool.warm(curveReq(view, { allocator: 'bucket' }));
    const step = pool.step({ config, combo: view, batch: 2 });
    await tick();
    opened[0]!.calls[0]!.settle(planned(view));
    await running;
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['curves', 'step']);
    opened[0]!.calls[1]!.settle({});
    await step;
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['curves', 'step', 'warm']);
    opened[0]!.calls[2]!.settle(undefined);
    await expect(ahead).resolves.toBeUndefined();
    const dropped = pool.warm(curveReq(view));
    await tick();
    // Sent behind the warm-up in hand: cancelQueued stops it as it stops a batch being planned.
    const busy = pool.curves([curveReq(view)])[0]!;
    const queuedWarm = pool.warm(curveReq(view, { allocator: 'bucket' }));
    const queuedStep = pool.step({ config, combo: view, batch: 2 });
    pool.cancelQueued();
    await expect(queuedWarm).rejects.toMatchObject({ name: 'Superseded' });
    await expect(queuedStep).rejects.toMatchObject({ name: 'Superseded' });
    expect(opened[0]!.cancels).toBe(1);
    opened[0]!.calls[3]!.settle(undefined);
    await dropped;
    opened[0]!.calls[4]!.settle([]);
    await expect(busy).rejects.toMatchObject({ name: 'Superseded' });
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['curves', 'step', 'warm', 'warm', 'curves']);
  });

  it("a request asked while its worker plans ahead is sent at once, not after the warm-up's answer", async () => {
    const { pool, opened } = fakePool(1);
    const ahead = pool.warm(curveReq(view, { allocator: 'bucket' }));
    const later = pool.warm(curveReq(view, { model: { ...config.model, seq: 128 } }));
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm']);
    const curve = pool.curves([curveReq(view)])[0]!;
    const step = pool.step({ config, combo: view, batch: 2 });
    await tick();
    // Sent behind the warm-up in hand (the worker answers in order); the step waits for the curve.
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm', 'curves']);
    opened[0]!.calls[0]!.settle(undefined);
    await ahead;
    await tick();
    // No warm-up starts while a request is in flight.
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm', 'curves']);
    opened[0]!.calls[1]!.settle(planned(view));
    await expect(curve).resolves.toEqual(fakeCurve(view));
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm', 'curves', 'step']);
    opened[0]!.calls[2]!.settle({});
    await step;
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm', 'curves', 'step', 'warm']);
    opened[0]!.calls[3]!.settle(undefined);
    await expect(later).resolves.toBeUndefined();
  });

  it('a worker that dies while it plans ahead with a request behind: both reject', async () => {
    const { pool, opened } = fakePool(1);
    const ahead = pool.warm(curveReq(view, { allocator: 'bucket' }));
    await tick();
    const curve = pool.curves([curveReq(view)])[0]!;
    await tick();
    opened[0]!.die('crashed');
    await expect(ahead).rejects.toThrow('crashed');
    await expect(curve).rejects.toThrow('crashed');
    // Its replacement answers what comes next.
    const again = pool.curves([curveReq(view)])[0]!;
    await tick();
    expect(opened[1]!.calls.map((c) => c.method)).toEqual(['curves']);
    opened[1]!.calls[0]!.settle(planned(view));
    await expect(again).resolves.toEqual(fakeCurve(view));
  });

  it('plans ahead on one worker of two while the page draws an answer, in the order asked', async () => {
    const { tick, wait } = fakeClock();
    const { pool, opened } = fakePool(2, 40);
    const [a, b] = twoWorkers();
    // An answer: the page draws it for the next 40 ms.
    const shown = pool.curves([curveReq(b)])[0]!;
    await tick();
    opened[1]!.calls[0]!.settle(planned(b));
    await shown;
    const warmA = pool.warm(curveReq(a));
    const warmB = pool.warm(curveReq(b, { allocator: 'bucket' }));
    const warmA2 = pool.warm(curveReq(a, { allocator: 'bucket' }));
    await tick();
    expect(opened.map((e) => e.calls.map((c) => c.method))).toEqual([['warm'], ['curves']]);
    // The other worker still answers requests meanwhile.
    const step = pool.step({ config, combo: b, batch: 2 });
    await tick();
    expect(opened[1]!.calls.map((c) => c.method)).toEqual(['curves', 'step']);
    opened[1]!.calls[1]!.settle({});
    await step;
    await tick();
    expect(opened[1]!.calls).toHaveLength(2); // its warm-up waits for the first
    opened[0]!.calls[0]!.settle(undefined);
    await warmA;
    await tick();
    // In the order asked across the workers: b's warm-up before a's second.
    expect(opened[1]!.calls.map((c) => c.method)).toEqual(['curves', 'step', 'warm']);
    expect(opened[0]!.calls).toHaveLength(1);
    // Once the page has had its time to draw, both workers plan ahead.
    await wait(60);
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['warm', 'warm']);
    opened[0]!.calls[1]!.settle(undefined);
    opened[1]!.calls[2]!.settle(undefined);
    await expect(Promise.all([warmB, warmA2])).resolves.toEqual([undefined, undefined]);
  });

  it('plans ahead on all workers but one of a larger pool while an answer is drawn, then on all', async () => {
    const { tick, wait } = fakeClock();
    const { pool, opened } = fakePool(3, 30);
    const combos: Combo[] = ['copy', 'view', 'fused', 'chunked'].flatMap((strategy) =>
      ['minimal', 'checkpoint'].map((retention) => ({ strategy, retention }) as Combo),
    );
    const shown = pool.curves([curveReq(view)])[0]!;
    await tick();
    opened[slotOf(curveReq(view), 3)]!.calls[0]!.settle(planned(view));
    await shown;
    for (const c of combos) void pool.warm(curveReq(c, { allocator: 'bucket' })).catch(() => {});
    await tick();
    const warming = () => opened.filter((e) => e.calls.some((c) => c.method === 'warm')).length;
    expect(warming()).toBe(2);
    await wait(50);
    expect(warming()).toBe(3);
    pool.dispose();
  });

  it('steps and comparisons go to the worker holding the (first) plan', () => {
    const { pool, opened } = fakePool(2);
    const [a, b] = twoWorkers();
    void pool.step({ config, combo: b, batch: 8 });
    void pool.compare({ config, combo: a, batch: 8 }, { config, combo: b, batch: 8 });
    expect(opened.map((e) => e.calls.map((c) => c.method))).toEqual([['compare'], ['step']]);
  });

  it("a worker's error (e.g. a configuration that can't be built) rejects that request only", async () => {
    const { pool, opened } = fakePool(1);
    const bad = pool.step({ config, combo: view, batch: 2 });
    const next = pool.curves([curveReq(view, { allocator: 'bucket' })])[0]!;
    opened[0]!.calls[0]!.settle(new Error('embedding size 30 is not divisible by 4 heads'), false);
    await expect(bad).rejects.toThrow('embedding size 30 is not divisible by 4 heads');
    await tick();
    opened[0]!.calls[1]!.settle(planned(view));
    await expect(next).resolves.toEqual(fakeCurve(view));
  });

  it('cancelQueued drops what has not started (rejected as Superseded), not what runs', async () => {
    const { pool, opened } = fakePool(1);
    const running = pool.step({ config, combo: view, batch: 2 });
    const queued = [pool.curves([curveReq(view)])[0]!, pool.step({ config, combo: view, batch: 4 })];
    pool.cancelQueued();
    for (const q of queued) await expect(q).rejects.toMatchObject({ name: 'Superseded' });
    expect(opened[0]!.cancels).toBe(0); // a step is not stopped
    const after = pool.curves([curveReq(view)])[0]!;
    opened[0]!.calls[0]!.settle({ batch: 2 });
    await expect(running).resolves.toEqual({ batch: 2 });
    await tick();
    expect(opened[0]!.calls).toHaveLength(2);
    opened[0]!.calls[1]!.settle(planned(view));
    await expect(after).resolves.toEqual(fakeCurve(view));
  });

  it('cancelQueued stops the batch being planned: the curves it did not plan reject as Superseded', async () => {
    const { pool, opened } = fakePool(1);
    const batch = pool.curves([curveReq(view), curveReq(view, { allocator: 'bucket' })]);
    await tick();
    pool.cancelQueued();
    expect(opened[0]!.cancels).toBe(1);
    // The worker stopped after the first curve.
    opened[0]!.calls[0]!.settle(planned(view));
    await expect(batch[0]).resolves.toEqual(fakeCurve(view));
    await expect(batch[1]).rejects.toMatchObject({ name: 'Superseded' });
  });

  it('a worker that dies: its requests reject with why, a new worker takes its place', async () => {
    const { pool, opened } = fakePool(1);
    const lost = [pool.curves([curveReq(view)])[0]!, pool.step({ config, combo: view, batch: 2 })];
    await tick();
    opened[0]!.die('error: out of memory');
    for (const l of lost) await expect(l).rejects.toThrow(/planning worker stopped \(error: out of memory\)/);
    expect(opened[0]!.closed).toBe(true);
    expect(opened).toHaveLength(2);
    // A late answer from the dead worker changes nothing; the new one serves.
    opened[0]!.calls[0]!.settle(planned(view));
    opened[0]!.die('again');
    expect(opened).toHaveLength(2);
    const next = pool.curves([curveReq(view)])[0]!;
    await tick();
    opened[1]!.calls[0]!.settle(planned(view));
    await expect(next).resolves.toEqual(fakeCurve(view));
  });

  it('dispose ends every worker and rejects what is pending and what comes after', async () => {
    const { pool, opened } = fakePool(2);
    const pending = pool.curves([curveReq(view)])[0]!;
    pool.dispose();
    expect(opened.every((e) => e.closed)).toBe(true);
    await expect(pending).rejects.toThrow('shut down');
    await expect(pool.curves([curveReq(view)])[0]!).rejects.toThrow('shut down');
  });
});

describe("the pool's fit worker", () => {
  const fitReq = (effectiveBatch: number): FitRequest => ({
    model: PRESETS.seed,
    chunk: 64,
    budgetBytes: 6e9,
    effectiveBatch,
    optimizer: 'adamw',
    dtypes: ['f32', 'mixed'],
    allocator: 'lazy',
    limits: WEBGPU_DEFAULT_LIMITS,
  });
  const answer = (effectiveBatch: number) => ({ effectiveBatch }) as FitAnswer;
  const fitWorkers = (opened: FakeEndpoint[]) => opened.filter((e) => e.role === 'fit');

  it('starts on the first question, apart from the curve workers, so no curve waits behind it', async () => {
    const { pool, opened } = fakePool(1);
    expect(opened.map((e) => e.role)).toEqual(['plan']);
    const fit = pool.fit(fitReq(64));
    const curve = pool.curves([curveReq(view)])[0]!;
    expect(opened.map((e) => e.role)).toEqual(['plan', 'fit']);
    await tick();
    expect(opened[0]!.calls.map((c) => c.method)).toEqual(['curves']);
    opened[0]!.calls[0]!.settle(planned(view));
    await expect(curve).resolves.toEqual(fakeCurve(view));
    opened[1]!.calls[0]!.settle(answer(64));
    await expect(fit).resolves.toEqual(answer(64));
    // cancelQueued (a new configuration's curves) leaves the fit worker's questions alone.
    const next = pool.fit(fitReq(32));
    pool.cancelQueued();
    await tick();
    opened[1]!.calls[1]!.settle(answer(32));
    await expect(next).resolves.toEqual(answer(32));
    expect(fitWorkers(opened)).toHaveLength(1);
  });

  it('only the latest question waits: one asked while another waits replaces it', async () => {
    const { pool, opened } = fakePool(1);
    const running = pool.fit(fitReq(64));
    const replaced = pool.fit(fitReq(32));
    const latest = pool.fit(fitReq(16));
    await expect(replaced).rejects.toMatchObject({ name: 'Superseded' });
    const [worker] = fitWorkers(opened);
    worker!.calls[0]!.settle(answer(64));
    await expect(running).resolves.toEqual(answer(64));
    await tick();
    expect(worker!.calls.map((c) => (c.req as FitRequest).effectiveBatch)).toEqual([64, 16]);
    worker!.calls[1]!.settle(answer(16));
    await expect(latest).resolves.toEqual(answer(16));
  });

  it('cancelFit asks the worker to stop a stale question and keeps it: the next question waits until it has stopped', async () => {
    const { pool, opened } = fakePool(1);
    const stale = pool.fit(fitReq(64));
    const waiting = pool.fit(fitReq(32));
    pool.cancelFit();
    await expect(waiting).rejects.toMatchObject({ name: 'Superseded' });
    await expect(stale).rejects.toMatchObject({ name: 'Superseded' });
    const [worker] = fitWorkers(opened);
    expect(worker!.fitCancels).toBe(1);
    expect(worker!.closed).toBe(false);
    // Asked before the worker has stopped: it waits (two questions never share the worker's planner).
    const fresh = pool.fit(fitReq(16));
    await tick();
    expect(worker!.calls).toHaveLength(1);
    worker!.calls[0]!.settle(Object.assign(new Error('stopped'), { name: 'Superseded' }), false);
    await tick();
    // The same worker, warm, answers the next question.
    expect(fitWorkers(opened)).toHaveLength(1);
    expect(worker!.calls.map((c) => (c.req as FitRequest).effectiveBatch)).toEqual([64, 16]);
    worker!.calls[1]!.settle(answer(16));
    await expect(fresh).resolves.toEqual(answer(16));
  });

  it("a stopped question's late answer is dropped, and frees the worker as a stop does", async () => {
    const { pool, opened } = fakePool(1);
    const stale = pool.fit(fitReq(64));
    pool.cancelFit();
    const fresh = pool.fit(fitReq(16));
    const [worker] = fitWorkers(opened);
    worker!.calls[0]!.settle(answer(64));
    await expect(stale).rejects.toMatchObject({ name: 'Superseded' });
    await tick();
    worker!.calls[1]!.settle(answer(16));
    await expect(fresh).resolves.toEqual(answer(16));
  });

  it('a worker that has not stopped within the grace is ended; the next question starts a new one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { pool, opened } = fakePool(1);
      const stale = pool.fit(fitReq(64));
      pool.cancelFit();
      await expect(stale).rejects.toMatchObject({ name: 'Superseded' });
      const fresh = pool.fit(fitReq(16));
      const [first] = fitWorkers(opened);
      await vi.advanceTimersByTimeAsync(FIT_CANCEL_GRACE_MS - 1);
      expect(first!.closed).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(first!.closed).toBe(true);
      // Its late answer changes nothing; a new worker answers the waiting question.
      first!.calls[0]!.settle(answer(64));
      const second = fitWorkers(opened)[1]!;
      expect(second.calls.map((c) => (c.req as FitRequest).effectiveBatch)).toEqual([16]);
      second.calls[0]!.settle(answer(16));
      await expect(fresh).resolves.toEqual(answer(16));
    } finally {
      vi.useRealTimers();
    }
  });

  it('a fit worker that dies rejects its question with why; dispose ends it', async () => {
    const { pool, opened } = fakePool(1);
    const lost = pool.fit(fitReq(64));
    fitWorkers(opened)[0]!.die('error: out of memory');
    await expect(lost).rejects.toThrow(/fit advisor's worker stopped \(error: out of memory\)/);
    const pending = pool.fit(fitReq(64));
    expect(fitWorkers(opened)).toHaveLength(2);
    pool.dispose();
    expect(fitWorkers(opened).every((e) => e.closed)).toBe(true);
    await expect(pending).rejects.toThrow('shut down');
    await expect(pool.fit(fitReq(64))).rejects.toThrow('shut down');
  });
});
