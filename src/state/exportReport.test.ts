import { describe, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import { parseReport } from '../engine/report/report';
import { exportReportAs } from '../engine/report/export/index';
import { exportSource, reportFileName, reportOf } from './exportReport';
import { createFakeApi } from './fakeApi';
import { createFakePlan } from './fakePlan';
import { createAppStore } from './store';

const deps = () => ({ measure: createFakeApi(), plan: createFakePlan(), writeUrl: () => {} });

describe('reportOf', () => {
  it('is null before anything was measured', () => {
    expect(reportOf(createAppStore(deps()).getState())).toBeNull();
  });

  it('turns a measuring run into a valid report with every point and the model measured', async () => {
    const store = createAppStore(deps());
    store.getState().setPreset('tiny');
    await store.getState().probe();
    await store.getState().measure({ confirmed: true });
    const s = store.getState();
    const r = reportOf(s)!;
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(r.points).toHaveLength(s.measured.length);
    expect(r.points).toHaveLength(6); // 3 combos × batches 1, 2
    expect(r.model).toMatchObject({ preset: 'tiny', seq: 16, embd: 32, heads: 4, attentionOnly: false });
    expect(reportFileName(r)).toBe('headroom-tiny.json');
    const bytes = await exportReportAs(r, 'json', {}); // what the page's JSON export writes
    expect(JSON.parse(new TextDecoder().decode(bytes)).schemaVersion).toBe(2);
    expect(await decodeReport(bytes)).toEqual(r);
  });

  it('records an attention-only model without the vocabulary, MLP ratio and activation it does not have', async () => {
    const store = createAppStore(deps());
    store.getState().setPreset('tiny');
    store.getState().setAttentionOnly(true);
    store.getState().setMeasureBatches([1]);
    await store.getState().probe();
    await store.getState().measure({ confirmed: true });
    const r = reportOf(store.getState())!;
    expect(r.model).toEqual({
      preset: null, // the tiny preset is a whole GPT: its attention-only form is a custom model
      vocab: null,
      seq: 16,
      embd: 32,
      heads: 4,
      layers: 2,
      mlpRatio: null,
      activation: null,
      attentionOnly: true,
    });
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(() => parseReport({ ...JSON.parse(JSON.stringify(r)), model: { ...r.model, vocab: 1 } })).toThrow(
      /vocab must be null for an attention-only model/,
    );
    expect(() =>
      parseReport({ ...JSON.parse(JSON.stringify(r)), model: { ...r.model, attentionOnly: false } }),
    ).toThrow(/vocab is required for a whole GPT/);
  });
});

describe('exportSource', () => {
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('exports the plan alone: the step shown as a predicted point and every max batch', async () => {
    const store = createAppStore({ ...deps(), detailDelayMs: 0 });
    store.getState().setPreset('tiny');
    await settle();
    const s = store.getState();
    expect(s.measured).toEqual([]);
    const src = exportSource(s)!;
    expect(src.origin).toBe('plan');
    expect(parseReport(JSON.parse(JSON.stringify(src.report)))).toEqual(src.report);
    expect(src.report.points).toHaveLength(1);
    const [p] = src.report.points;
    expect(p).toMatchObject({ ...s.selected!.combo, batch: s.selected!.batch, measured: null, error: null });
    expect(p!.predicted!.peakBytes).toBe(s.step.detail!.peakBytes);
    expect(p!.predicted!.ops).toHaveLength(s.step.detail!.timeline.length);
    expect(src.point).toEqual(p);
    expect(src.report.maxBatch.map((m) => `${m.strategy}/${m.retention}`)).toEqual(
      s.config.combos.map((c) => `${c.strategy}/${c.retention}`),
    );
  });

  it('exports the measured points, with the planned step added when it was not measured', async () => {
    const store = createAppStore({ ...deps(), detailDelayMs: 0 });
    store.getState().setPreset('tiny');
    store.getState().setMeasureBatches([1]);
    await store.getState().probe();
    await store.getState().measure({ confirmed: true });
    store.getState().setBatch(8);
    await settle();
    const src = exportSource(store.getState())!;
    expect(src.origin).toBe('measured');
    expect(src.point).toMatchObject({ batch: 8, measured: null });
    expect(src.report.points.filter((p) => p.measured)).toHaveLength(3);
    expect(src.report.points).toHaveLength(4);
  });
});
