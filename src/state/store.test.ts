/** The page's store over a fake plan pool and a fake measuring worker. */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { outcomeOf } from '../engine/report/points';
import type { HeadroomApi } from '../worker/api';
import { PRESETS } from '../engine/models/spec';
import { createFakeApi, fakePoint, type FakeApi } from './fakeApi';
import { createFakePlan, fakePeak, type FakePlan, type FakePlanOptions } from './fakePlan';
import { DEFAULT_CONFIG, planConfigOf, type PointRef } from './pageConfig';
import { createAppStore, minBatchOf, nextMinBatch, planKeyOf, STORAGE_KEY, type StoreDeps } from './store';

const tick = () => new Promise((r) => setTimeout(r, 0));
const curveCalls = (plan: FakePlan) => plan.calls.filter((c) => c.kind === 'curve');
const ref = (s: string, batch: number): PointRef => {
  const [strategy, retention] = s.split('/') as [
    PointRef['combo']['strategy'],
    PointRef['combo']['retention'],
  ];
  return { combo: { strategy, retention }, batch };
};

function setup(opts: { plan?: FakePlanOptions; api?: HeadroomApi; deps?: Partial<StoreDeps> } = {}) {
  const plan = createFakePlan(opts.plan);
  const api = opts.api ?? createFakeApi();
  const urls: string[] = [];
  // At once unless a test asks for the page's delays (see 'while a slider moves').
  const store = createAppStore({
    measure: api,
    plan,
    writeUrl: (q) => urls.push(q),
    detailDelayMs: 0,
    curvesFlushMs: 0,
    prefetchDelayMs: 0,
    persistDelayMs: 0,
    ...opts.deps,
  });
  return { store, plan, api, urls, s: () => store.getState() };
}

describe('while a slider moves', () => {
  it('replaces the curves shown all at once, when the last new one arrives', async () => {
    const { plan, s } = setup({ plan: { manual: true }, deps: { curvesFlushMs: 10_000 } });
    await plan.release();
    const old = s().curves;
    expect(Object.keys(old.byCombo)).toHaveLength(3);
    s().setModelField('layers', 7);
    expect(s().curves.byCombo).toBe(old.byCombo); // still the old curves, now pending
    expect(s().curves.pending).toBe(3);
    await plan.release((c) => c.kind === 'curve' && c.req.combo.strategy === 'copy');
    expect(s().curves.byCombo).toBe(old.byCombo);
    await plan.release((c) => c.kind === 'curve');
    expect(s().curves.pending).toBe(0);
    expect(s().curves.configKey).toContain('"layers":7');
    for (const c of Object.values(s().curves.byCombo))
      expect(old.byCombo[`${c.combo.strategy}/${c.combo.retention}`]).not.toBe(c);
  });

  it('keeps the objects a move does not change, so that the controls reading them are not drawn again', async () => {
    const { s } = setup();
    await tick();
    const { errors, estimate } = s();
    s().setBatch(32);
    expect(s().errors).toBe(errors);
    expect(s().estimate).toBe(estimate);
    s().setModelField('embd', 100); // not divisible by the 6 heads
    expect(s().errors).not.toBe(errors);
    expect(Object.keys(s().errors)).toEqual(['embd']);
  });

  it('asks for the step and the comparison once the controls settle', async () => {
    const { plan, s } = setup({ deps: { detailDelayMs: 30 } });
    await tick();
    const steps = () => plan.calls.filter((c) => c.kind === 'step').length;
    const compares = () => plan.calls.filter((c) => c.kind === 'compare').length;
    expect([steps(), compares()]).toEqual([1, 1]); // the first ones at once
    for (const batch of [65, 66, 67, 68]) s().setBatch(batch);
    await tick();
    expect([steps(), compares()]).toEqual([1, 1]);
    await new Promise((r) => setTimeout(r, 60));
    expect([steps(), compares()]).toEqual([2, 2]);
    expect(s().step.detail?.batch).toBe(68);
  });
});

describe('the comparison', () => {
  it("keeps its result when a change does not touch the pair (budget, the adapter's limits)", async () => {
    const { plan, s } = setup({
      api: createFakeApi({
        probe: {
          available: true,
          adapter: 'Test GPU',
          device: {
            adapter: 'Test GPU',
            vendor: 'test',
            architecture: 'test',
            limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
          },
        },
      }),
    });
    await tick();
    const result = s().compare?.result;
    expect(result?.summary).toMatch(/^copy\/tape holds/);
    const compares = () => plan.calls.filter((c) => c.kind === 'compare').length;
    const before = compares();
    s().setBudget('8GB');
    await s().probe();
    await tick();
    expect(s().limitsSource).toBe('adapter');
    expect(s().compare?.result).toBe(result);
    expect(s().compare?.status).toBe('ready');
    expect(compares()).toBe(before);
  });
});

describe('the ONNX model of a step', () => {
  it('asks the measuring worker for the step of the configuration on screen', async () => {
    const { api, s } = setup({ deps: { initialUrl: '?preset=tiny&combos=view.minimal&B=2' } });
    const bytes = await s().onnxModel(ref('view/minimal', 2));
    expect(new TextDecoder().decode(bytes)).toBe('view/minimal@2');
    expect((api as FakeApi).onnxCalls).toEqual([
      {
        spec: {
          model: { ...PRESETS.tiny },
          strategy: 'view',
          retention: 'minimal',
          chunk: 64,
          dtype: 'f32',
          optimizer: 'none',
          microBatches: 1,
          loss: 'standard',
          lossChunk: 128,
        },
        batch: 2,
      },
    ]);
  });
});

describe('planning ahead', () => {
  it("plans the moved slider's neighbouring values once its curves are in and the page is idle, then every other slider's", async () => {
    // Fake timers: "not yet idle long enough" must not depend on how busy the machine is (with real
    // ones, a test's 10 ms could end after the page's 20 ms on a loaded CI machine).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);
    const { plan, s } = setup({ deps: { prefetchDelayMs: 20 } });
    await wait(0);
    const before = curveCalls(plan).length;
    s().setModelField('layers', 7);
    await wait(0);
    expect(curveCalls(plan)).toHaveLength(before + 3); // the new value's three curves
    await wait(10);
    expect(curveCalls(plan)).toHaveLength(before + 3); // not yet idle long enough
    await wait(40);
    const ahead = curveCalls(plan).slice(before + 3);
    // The moved slider's neighbours first...
    expect(ahead.slice(0, 6).map((c) => c.req.config.model.layers)).toEqual([6, 6, 6, 8, 8, 8]);
    for (const c of ahead.slice(0, 6)) expect(c.req.config.model.seq).toBe(256);
    // ...then every other slider one step either way, at the new value.
    const now = s().config.model;
    const moved = ahead.slice(6).map((c) => {
      const m = c.req.config.model;
      const fields = (['seq', 'embd', 'heads', 'layers', 'mlpRatio', 'vocab'] as const).filter(
        (f) => m[f] !== now[f],
      );
      expect(fields).toHaveLength(1);
      return fields[0];
    });
    expect(new Set(moved)).toEqual(new Set(['seq', 'embd', 'heads', 'mlpRatio', 'vocab']));
    // Heads step over the divisors of the embedding size: 384 at 8 heads -> 6 and 12.
    const mark = curveCalls(plan).length;
    s().setModelField('heads', 8);
    await wait(50);
    const heads = curveCalls(plan)
      .slice(mark, mark + 9)
      .map((c) => c.req.config.model.heads);
    expect(heads).toEqual([8, 8, 8, 6, 6, 6, 12, 12, 12]);
  });

  it('goes on planning ahead while only the batch moves (no curve changes)', async () => {
    const { plan, s } = setup({ deps: { prefetchDelayMs: 10 } });
    await tick();
    const before = curveCalls(plan).length;
    // Batch moves within the slider: the same curves, so the same requests ahead.
    for (const batch of [60, 56, 120, 48]) {
      s().setBatch(batch);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(s().curves.configKey).toContain('"minBatch":512');
    const ahead = curveCalls(plan).slice(before);
    const fields = new Set(
      ahead.flatMap((c) =>
        (['seq', 'embd', 'heads', 'layers', 'mlpRatio', 'vocab'] as const).filter(
          (f) => c.req.config.model[f] !== s().config.model[f],
        ),
      ),
    );
    expect(fields).toEqual(new Set(['seq', 'embd', 'heads', 'layers', 'mlpRatio', 'vocab']));
  });

  it('plans nothing ahead while a change is still being planned, or for a value that cannot be built', async () => {
    const { plan, s } = setup({ plan: { manual: true }, deps: { prefetchDelayMs: 5 } });
    await plan.release();
    s().setModelField('embd', 385); // invalid with 6 heads: nothing planned, nothing ahead
    await new Promise((r) => setTimeout(r, 20));
    expect(curveCalls(plan).filter((c) => c.req.config.model.embd !== 384)).toEqual([]);
    s().setModelField('embd', 390);
    await new Promise((r) => setTimeout(r, 20)); // its curves are held: still pending
    expect(
      curveCalls(plan)
        .map((c) => c.req.config.model.embd)
        .filter((e) => e !== 384),
    ).toEqual([390, 390, 390]);
  });
});

describe('minBatchOf', () => {
  it('is the batch, at least 8, rounded up to a power of 2', () => {
    expect([1, 8, 9, 64, 65, 500].map(minBatchOf)).toEqual([8, 8, 16, 64, 128, 512]);
  });
});

describe('nextMinBatch', () => {
  it('keeps the shown minBatch while the batch stays within it and above a quarter of it', () => {
    expect([64, 33, 20, 17].map((b) => nextMinBatch(64, b))).toEqual([64, 64, 64, 64]);
    expect([16, 9, 65, 100].map((b) => nextMinBatch(64, b))).toEqual([16, 16, 128, 128]);
    expect(nextMinBatch(null, 20)).toBe(32);
  });
});

describe('planning', () => {
  it('opens on the seed preset, plans its three combos and shows the first at the slider batch', async () => {
    const { plan, s } = setup();
    expect(s().config).toEqual(DEFAULT_CONFIG);
    expect(s().errors).toEqual({});
    expect(s().limitsSource).toBe('webgpu-defaults');
    const reqs = curveCalls(plan).map((c) => c.req);
    expect(reqs.map((r) => `${r.combo.strategy}/${r.combo.retention}`)).toEqual([
      'copy/tape',
      'view/minimal',
      'fused/minimal',
    ]);
    // The curves cover the batch slider's whole range (1 to 512): its moves never replan them.
    expect(reqs[0]).toMatchObject({ budgetBytes: 6e9, minBatch: 512, reserved: false });
    expect(reqs[0]!.limits).toEqual({
      maxBufferSize: 256 * 2 ** 20,
      maxStorageBufferBindingSize: 128 * 2 ** 20,
    });
    expect(s().curves.pending).toBe(3);
    await tick();
    expect(Object.keys(s().curves.byCombo)).toEqual(['copy/tape', 'view/minimal', 'fused/minimal']);
    expect(s().curves.pending).toBe(0);
    expect(s().selected).toEqual(ref('copy/tape', 64));
    expect(s().step.status).toBe('ready');
    expect(s().step.detail).toMatchObject({ batch: 64, combo: { strategy: 'copy', retention: 'tape' } });
    expect(s().compare).toMatchObject({
      a: ref('copy/tape', 64),
      b: ref('view/minimal', 64),
      status: 'ready',
    });
    expect(s().compare?.result?.summary).toMatch(/^copy\/tape holds/);
  });

  it('moves the step with the batch slider without replanning the curves, until the batch passes the slider', async () => {
    const { plan, s } = setup();
    await tick();
    const before = curveCalls(plan).length;
    expect(s().chartBatch).toBe(64);
    const reach = [];
    for (const batch of [33, 65, 512, 3, 40]) {
      s().setBatch(batch);
      await tick();
      expect(curveCalls(plan)).toHaveLength(before);
      expect(s().step.detail?.batch).toBe(batch);
      expect(s().compare?.result?.a.batch).toBe(batch);
      reach.push(s().chartBatch);
    }
    // The chart's reach follows the batch (nextMinBatch) without a replan.
    expect(reach).toEqual([64, 128, 512, 8, 64]);
    // A batch typed past the slider replans the curves to the next power of 2.
    s().setBatch(700);
    await tick();
    expect(curveCalls(plan)).toHaveLength(before + 3);
    expect(curveCalls(plan).at(-1)?.req.minBatch).toBe(1024);
    expect(s().chartBatch).toBe(1024);
    s().setBatch(300);
    await tick();
    expect(curveCalls(plan)).toHaveLength(before + 6);
    expect(curveCalls(plan).at(-1)?.req.minBatch).toBe(512);
    expect(s().chartBatch).toBe(1024);
  });

  it('keeps the chart’s reach while the batch moves within it and above a quarter of it', async () => {
    const { s } = setup();
    await tick();
    const reach = [33, 65, 100, 40, 31, 3, 9].map((batch) => {
      s().setBatch(batch);
      return s().chartBatch;
    });
    expect(reach).toEqual([64, 128, 128, 128, 32, 8, 16]);
  });

  it('ignores answers to a configuration that has changed since', async () => {
    const { plan, s } = setup({ plan: { manual: true, allStarted: true } });
    s().setModelField('embd', 768);
    expect(plan.cancelled).toBe(2); // the first plan, then this change
    // The old configuration's curves arrive last: they must not show.
    await plan.release((c) => c.kind === 'curve' && c.req.config.model.embd === 768);
    await plan.release();
    const curves = Object.values(s().curves.byCombo);
    expect(curves).toHaveLength(3);
    expect(s().curves.pending).toBe(0);
    const stepCalls = plan.calls.filter((c) => c.kind === 'step');
    expect(stepCalls).toHaveLength(2);
    expect(s().step.detail?.peakBytes).toBeGreaterThan(0);
    // every curve shown is of the current model
    const current = curveCalls(plan).filter((c) => c.req.config.model.embd === 768);
    expect(current).toHaveLength(3);
    expect(s().curves.configKey).toContain('"embd":768');
    for (const curve of curves) {
      const peak = fakePeak({ config: planConfigOf(s().config), combo: curve.combo, batch: 1 });
      expect(curve.points[0]!.peakBytes).toBe(peak);
    }
  });

  it('re-asks a step the pool dropped while its configuration is still current', async () => {
    const { plan, s } = setup({ plan: { manual: true } });
    s().setBudget('8GB'); // replans the curves: cancelQueued drops the queued step and comparison
    expect(plan.cancelled).toBe(2); // the first plan, then this change
    await tick();
    expect(s().step.status).toBe('loading');
    await plan.release();
    expect(s().step.status).toBe('ready');
    expect(s().compare?.status).toBe('ready');
    expect(Object.keys(s().curves.failed)).toEqual([]);
    expect(curveCalls(plan).at(-1)?.req.budgetBytes).toBe(8e9);
  });

  it('clears the curves of an invalid configuration and says why beside each control', async () => {
    const { plan, s } = setup();
    await tick();
    s().setModelField('heads', 5);
    expect(s().errors).toEqual({ embd: 'Embedding size 384 is not divisible by 5 heads' });
    expect(s().curves).toEqual({ byCombo: {}, failed: {}, pending: 0, configKey: '' });
    expect(s().step).toEqual({ status: 'idle', detail: null, error: null });
    expect(s().config.preset).toBe('custom');
    s().setModelField('seq', Number.NaN);
    expect(s().errors.seq).toBe('Sequence length needs a value');
    const calls = plan.calls.length;
    s().setCombos([]);
    expect(s().errors.combos).toBe('Pick at least one strategy × retention');
    expect(plan.calls).toHaveLength(calls);
    s().setCombos([{ strategy: 'view', retention: 'minimal' }]);
    s().setModelField('seq', 256);
    s().setModelField('heads', 6);
    expect(s().errors).toEqual({});
    expect(s().config.preset).toBe('seed'); // the values equal the preset's again
    await tick();
    expect(Object.keys(s().curves.byCombo)).toEqual(['view/minimal']);
    expect(s().compare).toBeNull(); // one combo: nothing to compare
  });

  it('records a combo the planner cannot build, and plans reserved bytes for the reserved metric', async () => {
    const { plan, s } = setup({
      plan: {
        fail: (c) => (c.kind === 'curve' && c.req.combo.strategy === 'fused' ? 'fused needs f32' : null),
      },
    });
    await tick();
    expect(s().curves.failed).toEqual({ 'fused/minimal': 'fused needs f32' });
    expect(Object.keys(s().curves.byCombo)).toHaveLength(2);
    s().setMetric('reserved');
    expect(curveCalls(plan).at(-1)?.req.reserved).toBe(true);
  });

  it("plans against the adapter's buffer limits once probed", async () => {
    const limits = { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 };
    const api = createFakeApi({
      probe: {
        available: true,
        adapter: 'GPU',
        device: { adapter: 'GPU', vendor: 'v', architecture: 'a', limits },
      },
    });
    const { plan, s } = setup({ api });
    await s().probe();
    expect(s().limitsSource).toBe('adapter');
    expect(curveCalls(plan).at(-1)?.req.limits).toEqual(limits);
  });

  it('keeps a picked compare pair while the slider moves, and falls back when a combo is dropped', async () => {
    const { s } = setup();
    s().setCompare(ref('fused/minimal', 16), ref('view/minimal', 32));
    s().setBatch(40);
    await tick();
    expect(s().compare).toMatchObject({
      a: ref('fused/minimal', 16),
      b: ref('view/minimal', 32),
      status: 'ready',
    });
    s().toggleCombo({ strategy: 'fused', retention: 'minimal' });
    expect(s().compare).toMatchObject({ a: ref('copy/tape', 40), b: ref('view/minimal', 40) });
  });

  it('selecting a step moves the batch slider to it', async () => {
    const { s } = setup();
    s().select(ref('view/minimal', 12));
    await tick();
    expect(s().config.batch).toBe(12);
    expect(s().step.detail).toMatchObject({ batch: 12, combo: { strategy: 'view' } });
  });
});

describe('measuring', () => {
  it('measures every combo at every batch to measure, with the whole model, in order, with progress', async () => {
    const api = createFakeApi();
    const { store, s } = setup({ api });
    await s().probe();
    s().setMeasureBatches([2, 1]);
    const labels: string[] = [];
    store.subscribe((st, prev) => {
      if (st.progress && st.progress !== prev.progress)
        labels.push(`${st.progress.label} (${st.progress.index} of ${st.progress.total})`);
    });
    expect(s().estimate.slow).toBe(false);
    await s().measure();
    expect(labels).toEqual([
      'copy/tape @ batch 1 (1 of 6)',
      'view/minimal @ batch 1 (2 of 6)',
      'fused/minimal @ batch 1 (3 of 6)',
      'copy/tape @ batch 2 (4 of 6)',
      'view/minimal @ batch 2 (5 of 6)',
      'fused/minimal @ batch 2 (6 of 6)',
    ]);
    const fake = api as ReturnType<typeof createFakeApi>;
    expect(fake.calls[0]).toEqual({
      spec: {
        model: DEFAULT_CONFIG.model,
        strategy: 'copy',
        retention: 'tape',
        chunk: 64,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
        loss: 'standard',
        lossChunk: 128,
      },
      batch: 1,
      allocator: 'lazy',
    });
    expect(s().status).toBe('done');
    expect(s().measured).toHaveLength(6);
    expect(s().measuredConfigKey).toBe(planKeyOf(s().config));
    expect(s().measured.map((p) => p.retention)).toEqual([
      'tape',
      'minimal',
      'minimal',
      'tape',
      'minimal',
      'minimal',
    ]);
  });

  it('asks to confirm a slow run on a CPU adapter, then recalibrates from the measured step times', async () => {
    const api = createFakeApi({
      probe: { available: true, adapter: 'Google SwiftShader' },
      stepMs: () => 100,
    });
    const { s } = setup({ api });
    await s().probe();
    expect(s().estimate.slow).toBe(true);
    expect(s().estimate.seconds).toBeGreaterThan(60);
    await s().measure();
    expect(s().confirmSlow).toBe(true);
    expect(api.calls ?? []).toHaveLength(0);
    s().dismissSlow();
    expect(s().confirmSlow).toBe(false);
    await s().measure({ confirmed: true });
    expect(s().measured).toHaveLength(6);
    // 100 ms a step, no warm-up left: six steps take well under 20 s now.
    expect(s().estimate.seconds).toBeLessThan(2);
    expect(s().estimate.slow).toBe(false);
  });

  it('does not measure an invalid configuration or without WebGPU', async () => {
    const api = createFakeApi({ probe: { available: false, reason: 'no adapter' } });
    const { s } = setup({ api });
    await s().probe();
    expect(api.disposed).toBe(1);
    await s().measure({ confirmed: true });
    expect(api.calls).toHaveLength(0);
    const ok = setup();
    ok.s().setMeasureBatches([0]);
    expect(ok.s().errors.measureBatches).toMatch(/^Batches to measure must be whole numbers/);
    await ok.s().measure({ confirmed: true });
    expect((ok.api as ReturnType<typeof createFakeApi>).calls).toHaveLength(0);
  });

  it('keeps a failed point with its error, a rejected request as rpc, and measures the rest', async () => {
    const base = createFakeApi({ fail: (r) => r.spec.strategy === 'view' && r.batch === 2 });
    const api: HeadroomApi = {
      ...base,
      measurePoint: async (req) => {
        if (req.spec.strategy === 'fused' && req.batch === 1) throw new Error('worker died');
        return base.measurePoint(req);
      },
    };
    const { s } = setup({ api });
    await s().measure({ confirmed: true });
    expect(s().status).toBe('error');
    expect(s().measured.map((p) => [p.strategy, p.batch, p.error?.code ?? 'ok'])).toEqual([
      ['copy', 1, 'ok'],
      ['view', 1, 'ok'],
      ['fused', 1, 'rpc'],
      ['copy', 2, 'ok'],
      ['view', 2, 'oom'],
      ['fused', 2, 'ok'],
    ]);
  });

  it('stops after the point in flight when cancelled', async () => {
    const { store, s, api } = setup();
    store.subscribe((st, prev) => {
      if (st.progress?.index === 2 && prev.progress?.index !== 2) st.cancel();
    });
    await s().measure({ confirmed: true });
    expect((api as ReturnType<typeof createFakeApi>).calls).toHaveLength(2);
    expect(s().measured).toHaveLength(2);
    expect(s().status).toBe('idle');
    expect(s().progress).toBeNull();
  });

  it('abandons a point in flight: it is recorded as cancelled and nothing runs after it', async () => {
    const api = createFakeApi({ hang: (r) => r.spec.strategy === 'view' && r.batch === 1 });
    const { s } = setup({ api });
    const run = s().measure({ confirmed: true });
    await expect.poll(() => s().progress?.label).toBe('view/minimal @ batch 1');
    s().cancel();
    expect(s().status).toBe('measuring'); // the point in flight runs on
    s().abandon();
    await run;
    expect(s().status).toBe('idle');
    expect(s().measured.map((p) => [p.strategy, outcomeOf(p), p.error?.code])).toEqual([
      ['copy', 'measured', undefined],
      ['view', 'skipped', 'cancelled'],
    ]);
    expect(api.calls).toHaveLength(2);
  });

  it('turns a failed probe into an unavailable WebGPU', async () => {
    let disposed = 0;
    const api: HeadroomApi = {
      probeWebGpu: async () => Promise.reject(new Error('no worker')),
      measurePoint: async (req) => fakePoint(req),
      onnxModel: async () => new Uint8Array(),
      dispose: () => disposed++,
      abandon: () => {},
    };
    const { s } = setup({ api });
    await s().probe();
    expect(s().webgpu?.available).toBe(false);
    expect(s().webgpu?.reason).toMatch(/no worker/);
    expect(disposed).toBe(1);
  });
});

describe('persistence', () => {
  const memory = (init: Record<string, string> = {}) => {
    const data = { ...init };
    return {
      data,
      getItem: (k: string) => data[k] ?? null,
      setItem: (k: string, v: string) => void (data[k] = v),
    };
  };

  it('writes the state to the URL and storage on every change', () => {
    const storage = memory();
    const { s, urls } = setup({ deps: { storage } });
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/^preset=seed&B=64&T=256&C=384&H=6&L=6&mlp=4&V=65&act=relu&kind=gpt&/);
    s().setBatch(32);
    expect(urls.at(-1)).toContain('B=32');
    expect(urls.at(-1)).toContain('at=copy.tape@32');
    expect(storage.data[STORAGE_KEY]).toBe(urls.at(-1));
    s().toggleTheme();
    expect(urls.at(-1)).toMatch(/theme=(dark|light)$/);
  });

  it('takes the URL over storage, storage over the defaults, and reports what it dropped', () => {
    const storage = memory({ [STORAGE_KEY]: 'B=16&T=128&theme=dark&metric=reserved' });
    const { s } = setup({
      deps: { storage, initialUrl: 'https://x.test/?T=512&foo=1&dtype=f64', prefersDark: false },
    });
    expect(s().config.batch).toBe(16);
    expect(s().config.model.seq).toBe(512);
    expect(s().config.preset).toBe('custom');
    expect(s().theme).toBe('dark');
    expect(s().metric).toBe('reserved');
    expect(s().urlWarnings).toEqual([
      'Ignored unknown parameter "foo"',
      'Ignored "dtype=f64": not one of f32, f16, mixed',
    ]);
  });

  it('takes the theme from prefers-color-scheme when nothing says otherwise, and toggles it', () => {
    const { s } = setup({ deps: { prefersDark: true } });
    expect(s().theme).toBe('dark');
    s().toggleTheme();
    expect(s().theme).toBe('light');
  });

  it('restores a shared compare pair and step', async () => {
    const { s } = setup({ deps: { initialUrl: '?at=view.minimal@8&cmp=fused.minimal@4,copy.tape@4' } });
    await tick();
    expect(s().selected).toEqual(ref('view/minimal', 8));
    expect(s().compare).toMatchObject({
      a: ref('fused/minimal', 4),
      b: ref('copy/tape', 4),
      status: 'ready',
    });
  });
});
