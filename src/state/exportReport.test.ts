import { describe, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import { parseReport } from '../engine/report/report';
import { reportFileBytes, reportFileName, reportOf } from './exportReport';
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
    const bytes = await reportFileBytes(r);
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
