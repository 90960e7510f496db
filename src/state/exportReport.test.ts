import { describe, expect, it } from 'vitest';
import { parseReport } from '../engine/report/report';
import { reportFileName, reportOf } from './exportReport';
import { createFakeApi } from './fakeApi';
import { createAppStore } from './store';

describe('reportOf', () => {
  it('is null before anything was measured', () => {
    expect(reportOf(createAppStore(createFakeApi()).getState())).toBeNull();
  });

  it('turns a sweep into a valid report with every point', async () => {
    const store = createAppStore(createFakeApi());
    await store.getState().probe();
    await store.getState().measure();
    const r = reportOf(store.getState())!;
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(r.points).toHaveLength(store.getState().results.length);
    expect(r.model).toMatchObject({ seq: 64, embd: 128, heads: 4, attentionOnly: true });
    expect(reportFileName(r)).toBe('headroom-T64-C128-H4-minimal.json');
  });
});
