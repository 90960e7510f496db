import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK } from '../engine/vocabulary';
import type { HeadroomApi } from '../worker/api';
import { createFakeApi, fakePoint } from './fakeApi';
import { outcomeOf } from '../engine/report/points';
import { batchesToMeasure, createAppStore, type Progress } from './store';

function progressLog(store: ReturnType<typeof createAppStore>): Progress[] {
  const log: Progress[] = [];
  store.subscribe((s, prev) => {
    if (s.progress && s.progress !== prev.progress) log.push(s.progress);
  });
  return log;
}

describe('batchesToMeasure', () => {
  it('adds the slider value to the base batches, sorted and unique', () => {
    expect(batchesToMeasure([1, 2, 4], 4)).toEqual([1, 2, 4]);
    expect(batchesToMeasure([1, 2, 4], 64)).toEqual([1, 2, 4, 64]);
    expect(batchesToMeasure([1, 2, 4], 3)).toEqual([1, 2, 3, 4]);
  });
});

describe('app store', () => {
  it('starts with the documented defaults and no errors', () => {
    const s = createAppStore(createFakeApi()).getState();
    expect(s.config).toEqual({ seq: 64, embd: 128, heads: 4 });
    expect(s.batch).toBe(4);
    expect(s.strategies).toEqual(['copy', 'view']);
    expect(s.status).toBe('idle');
    expect(s.errors).toEqual({});
  });

  it('blocks measuring on a validation error and records it against embd', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.getState().setConfigField('embd', 100);
    store.getState().setConfigField('heads', 6);
    await store.getState().measure();

    const s = store.getState();
    expect(api.calls).toEqual([]);
    expect(s.errors.embd).toBe('embedding size 100 is not divisible by 6 heads');
    expect(s.errors.heads).toBeUndefined();
    expect(s.status).toBe('idle');
    expect(s.results).toEqual([]);
  });

  it('measures the chosen strategies under the chosen retention and chunk', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.getState().toggleStrategy('copy');
    store.getState().toggleStrategy('chunked');
    store.getState().toggleStrategy('fused');
    store.getState().setRetention('tape');
    store.getState().setChunk(8);
    expect(store.getState().strategies).toEqual(['view', 'fused', 'chunked']);
    await store.getState().measure();
    expect(api.calls).toHaveLength(9);
    expect(new Set(api.calls.map((c) => c.strategy))).toEqual(new Set(['view', 'fused', 'chunked']));
    expect(api.calls.every((c) => c.retention === 'tape' && c.chunk === 8)).toBe(true);
  });

  it('refuses to measure with no strategy picked', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.getState().toggleStrategy('copy');
    store.getState().toggleStrategy('view');
    await store.getState().measure();
    expect(store.getState().errors.strategies).toBe('pick at least one strategy to measure');
    expect(api.calls).toEqual([]);
  });

  it('clears the error once the field is fixed', () => {
    const store = createAppStore(createFakeApi());
    store.getState().setConfigField('embd', 100);
    store.getState().setConfigField('heads', 6);
    store.getState().setConfigField('embd', 96);
    expect(store.getState().errors).toEqual({});
  });

  it('reports an out-of-range batch against the batch field', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.getState().setBatch(65);
    await store.getState().measure();
    expect(store.getState().errors.batch).toMatch(/between 1 and 64/);
    expect(api.calls).toEqual([]);
  });

  it('measures every point in order, batch by batch, with progress', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.getState().setBatch(8);
    const log = progressLog(store);
    await store.getState().measure();

    const order = [1, 2, 4, 8].flatMap((batch) => [`copy @ batch ${batch}`, `view @ batch ${batch}`]);
    expect(api.calls.map((c) => `${c.strategy} @ batch ${c.batch}`)).toEqual(order);
    expect(api.calls.every((c) => c.config.embd === 128 && c.config.heads === 4 && c.config.seq === 64)).toBe(
      true,
    );
    expect(log.map((p) => [p.index, p.total, p.label])).toEqual(order.map((label, i) => [i + 1, 8, label]));

    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.progress).toBeNull();
    expect(s.results).toHaveLength(8);
    expect(s.results.every((p) => p.measured !== null && p.error === null)).toBe(true);
    expect(s.measuredConfig).toEqual({
      seq: 64,
      embd: 128,
      heads: 4,
      retention: 'minimal',
      chunk: DEFAULT_CHUNK,
    });
    expect(s.selected).toEqual({ strategy: 'copy', batch: 1 });
  });

  it('keeps results as each point completes', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    const counts: number[] = [];
    store.subscribe((s, prev) => {
      if (s.progress && s.progress !== prev.progress) counts.push(s.results.length);
    });
    await store.getState().measure();
    expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('records a failing point and still measures the rest', async () => {
    const api = createFakeApi({ fail: (r) => r.strategy === 'copy' && r.batch === 2 });
    const store = createAppStore(api);
    await store.getState().measure();

    const s = store.getState();
    expect(api.calls).toHaveLength(6);
    expect(s.status).toBe('error');
    expect(s.results).toHaveLength(6);
    const failed = s.results.filter((p) => p.error !== null);
    expect(failed.map((p) => [p.strategy, p.batch, p.error?.code])).toEqual([['copy', 2, 'oom']]);
    expect(s.results.filter((p) => p.measured !== null)).toHaveLength(5);
  });

  it('abandons a point in flight that would run on: it is recorded as cancelled and nothing runs after it', async () => {
    const api = createFakeApi({ hang: (r) => r.strategy === 'view' && r.batch === 2 });
    const store = createAppStore(api);
    const sweep = store.getState().measure();
    await expect.poll(() => store.getState().progress?.label).toBe('view @ batch 2');
    store.getState().cancel();
    expect(store.getState().status).toBe('measuring'); // the point in flight runs on
    store.getState().abandon();
    await sweep;
    const s = store.getState();
    expect(s.status).toBe('idle');
    expect(s.results.map((p) => [p.strategy, p.batch, outcomeOf(p)])).toEqual([
      ['copy', 1, 'measured'],
      ['view', 1, 'measured'],
      ['copy', 2, 'measured'],
      ['view', 2, 'skipped'],
    ]);
    expect(s.results.at(-1)?.error?.code).toBe('cancelled');
    expect(api.calls).toHaveLength(4);
  });

  it('counts points skipped over the device limits as skipped, not failed', async () => {
    const store = createAppStore(createFakeApi({ skip: (r) => r.batch === 4 }));
    await store.getState().measure();
    const s = store.getState();
    expect(s.results.map((p) => [p.strategy, p.batch, outcomeOf(p)])).toEqual([
      ['copy', 1, 'measured'],
      ['view', 1, 'measured'],
      ['copy', 2, 'measured'],
      ['view', 2, 'measured'],
      ['copy', 4, 'skipped'],
      ['view', 4, 'skipped'],
    ]);
    expect(s.status).toBe('done');
  });

  it('turns a rejected request into an error point and carries on', async () => {
    const api: HeadroomApi = {
      probeWebGpu: async () => ({ available: true }),
      dispose: () => {},
      abandon: () => {},
      measurePoint: async (req) => {
        if (req.batch === 1 && req.strategy === 'view') throw new Error('worker died');
        return fakePoint(req);
      },
    };
    const store = createAppStore(api);
    await store.getState().measure();
    const s = store.getState();
    expect(s.results).toHaveLength(6);
    expect(s.results.find((p) => p.strategy === 'view' && p.batch === 1)?.error).toEqual({
      code: 'rpc',
      message: 'worker died',
    });
    expect(s.status).toBe('error');
  });

  it('stops after the point in flight when cancelled, keeping what was measured', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    store.subscribe((s, prev) => {
      if (s.progress?.index === 2 && prev.progress?.index !== 2) s.cancel();
    });
    await store.getState().measure();
    const s = store.getState();
    expect(api.calls).toHaveLength(2);
    expect(s.results).toHaveLength(2);
    expect(s.status).toBe('idle');
    expect(s.progress).toBeNull();
  });

  it('records the WebGPU probe, and a failed probe as unavailable', async () => {
    const okApi = createFakeApi({ probe: { available: true, adapter: 'X' } });
    const ok = createAppStore(okApi);
    await ok.getState().probe();
    expect(ok.getState().webgpu).toEqual({ available: true, adapter: 'X' });
    expect(okApi.disposed).toBe(0);

    let disposed = 0;
    const broken = createAppStore({
      probeWebGpu: async () => {
        throw new Error('no worker');
      },
      measurePoint: async (req) => fakePoint(req),
      dispose: () => disposed++,
      abandon: () => {},
    });
    await broken.getState().probe();
    expect(broken.getState().webgpu?.available).toBe(false);
    expect(broken.getState().webgpu?.reason).toMatch(/no worker/);
    expect(disposed).toBe(1);
  });

  it('refuses a chunk that is empty or past the longest sequence, with a message that says so', () => {
    const store = createAppStore(createFakeApi());
    store.getState().setChunk(NaN);
    expect(store.getState().errors.chunk).toBe('chunk needs a value');
    store.getState().setChunk(1e9);
    expect(store.getState().errors.chunk).toBe('chunk must be at most 4096, got 1000000000');
    store.getState().setChunk(2.5);
    expect(store.getState().errors.chunk).toBe('chunk must be a positive whole number, got 2.5');
    store.getState().setChunk(16);
    expect(store.getState().errors.chunk).toBeUndefined();
  });

  it('ends the worker when the adapter has no WebGPU: nothing can be measured', async () => {
    const api = createFakeApi({ probe: { available: false, reason: 'no adapter' } });
    const store = createAppStore(api);
    await store.getState().probe();
    expect(store.getState().webgpu).toEqual({ available: false, reason: 'no adapter' });
    expect(api.disposed).toBe(1);
  });
});
