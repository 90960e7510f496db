import { describe, expect, it } from 'vitest';
import { parseReport, type Report } from '../engine/report/report';
import { exportSource, reportOf } from './exportReport';
import { createFakeApi } from './fakeApi';
import { createFakePlan } from './fakePlan';
import { importedLabel, MAX_OPEN_REPORTS } from './reports';
import { createAppStore, planKeyOf } from './store';

const deps = () => ({
  measure: createFakeApi(),
  plan: createFakePlan(),
  writeUrl: () => {},
  detailDelayMs: 0,
});

/** A report measured (by the fake worker) on tiny × view/minimal, copy/tape at batches 1, 4. */
async function measuredReport(): Promise<Report> {
  const store = createAppStore(deps());
  const s = store.getState();
  s.setPreset('tiny');
  s.setCombos([
    { strategy: 'view', retention: 'minimal' },
    { strategy: 'copy', retention: 'tape' },
  ]);
  s.setMeasureBatches([1, 4]);
  await store.getState().probe();
  await store.getState().measure({ confirmed: true });
  return parseReport(JSON.parse(JSON.stringify(reportOf(store.getState()))));
}

describe('openReport', () => {
  it("restores the training step's options: optimizer, dtype, micro-batches, loss and its chunk", async () => {
    const store = createAppStore(deps());
    const s = store.getState();
    s.setPreset('tiny');
    s.setOptimizer('adamw');
    s.setDtype('mixed');
    s.setMicroBatches(4);
    s.setLoss('chunked');
    s.setLossChunk(8);
    s.setMeasureBatches([2]);
    await store.getState().probe();
    await store.getState().measure({ confirmed: true });
    const report = parseReport(JSON.parse(JSON.stringify(reportOf(store.getState()))));
    expect(report).toMatchObject({
      optimizer: 'adamw',
      dtype: 'mixed',
      microBatches: 4,
      loss: 'chunked',
      lossChunk: 8,
    });
    const other = createAppStore(deps());
    other.getState().openReport('trained.json', report);
    expect(other.getState().config).toMatchObject({
      optimizer: 'adamw',
      dtype: 'mixed',
      microBatches: 4,
      loss: 'chunked',
      lossChunk: 8,
    });
    expect(other.getState().errors).toEqual({});
  });

  it('sets the configuration from the report and its points as the measured ones', async () => {
    const report = await measuredReport();
    const store = createAppStore(deps());
    expect(store.getState().config.preset).toBe('seed');
    const id = store.getState().openReport('run.json', report);
    const s = store.getState();
    expect(id).not.toBeNull();
    expect(s.reports.map((r) => r.name)).toEqual(['run.json']);
    expect(s.config.preset).toBe('tiny');
    expect(s.config.model).toMatchObject({ seq: 16, embd: 32, heads: 4 });
    expect(s.config.combos).toEqual([
      { strategy: 'copy', retention: 'tape' },
      { strategy: 'view', retention: 'minimal' },
    ]);
    expect(s.config.measureBatches).toEqual([1, 4]);
    expect(s.config.batch).toBe(4);
    expect(s.config.dtype).toBe(report.dtype);
    expect(s.config.allocator).toBe(report.allocator);
    expect(s.config.chunk).toBe(report.chunk);
    expect(s.measured).toEqual(report.points);
    expect(s.measuredConfig).toEqual(s.config);
    expect(s.measuredConfigKey).toBe(planKeyOf(s.config));
    expect(s.status).toBe('done');
    expect(s.measuredFrom).toEqual({ file: 'run.json', device: report.device });
    expect(s.errors).toEqual({});
    expect(s.selected).toEqual({ combo: { strategy: 'copy', retention: 'tape' }, batch: 4 });
  });

  it('keeps at most MAX_OPEN_REPORTS, drops the oldest, and removes one on demand', async () => {
    const report = await measuredReport();
    const store = createAppStore(deps());
    for (let i = 0; i < MAX_OPEN_REPORTS + 2; i++) store.getState().openReport(`r${i}.json`, report);
    const names = store.getState().reports.map((r) => r.name);
    expect(names).toHaveLength(MAX_OPEN_REPORTS);
    expect(names[0]).toBe('r2.json');
    const last = store.getState().reports.at(-1)!;
    store.getState().removeReport(last.id);
    expect(store.getState().reports.map((r) => r.id)).not.toContain(last.id);
  });

  it('measuring again forgets where the points came from', async () => {
    const report = await measuredReport();
    const store = createAppStore(deps());
    store.getState().openReport('run.json', report);
    await store.getState().probe();
    await store.getState().measure({ confirmed: true });
    expect(store.getState().measuredFrom).toBeNull();
  });

  it('names the imported device', () => {
    const device = {
      adapter: 'swiftshader',
      vendor: 'google',
      architecture: '',
      limits: { maxBufferSize: 1, maxStorageBufferBindingSize: 1 },
    };
    expect(importedLabel({ file: 'a.json', device })).toBe(
      'imported from a.json (adapter swiftshader, google)',
    );
    expect(importedLabel({ file: 'a.json', device: null })).toBe('imported from a.json (no device recorded)');
  });

  it('exports an imported report with its own device, and round-trips through the store', async () => {
    const report = await measuredReport();
    const store = createAppStore(deps());
    store.getState().openReport('run.json', { ...report, device: null });
    await new Promise((r) => setTimeout(r, 0));
    const src = exportSource(store.getState())!;
    expect(src.origin).toBe('imported');
    expect(src.report.device).toBeNull();
    expect(src.report.points.map((p) => p.batch)).toEqual(report.points.map((p) => p.batch));
    expect(src.point).toMatchObject({ strategy: 'copy', retention: 'tape', batch: 4 });
    expect(src.point?.measured).not.toBeNull();
  });
});
