import { describe, expect, it } from 'vitest';
import { PRESETS } from '../engine/models/spec';
import type { Point } from '../engine/report/schema';
import { fakePoint } from '../state/fakeApi';
import { statusText } from './measureStatus';

const spec = {
  model: PRESETS.tiny,
  strategy: 'view',
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
} as const;
const measured = (batch: number): Point => fakePoint({ spec, batch, allocator: 'lazy' });
const withError = (batch: number, code: 'over-limit' | 'oom'): Point => ({
  ...measured(batch),
  measured: null,
  error: { code, message: code },
});
const base = { progress: null, cancelRequested: false, invalid: false };

describe('the status under Measure', () => {
  it('counts skipped points apart from failures', () => {
    const results = [measured(1), withError(2, 'over-limit'), withError(4, 'over-limit')];
    expect(statusText({ ...base, status: 'done', results })).toBe('Measured 1 point; 2 skipped.');
    const failed = [...results, withError(8, 'oom')];
    expect(statusText({ ...base, status: 'error', results: failed })).toBe(
      'Measured 1 point; 2 skipped; 1 failed.',
    );
  });

  it('says how far a run got, or what to fix', () => {
    expect(statusText({ ...base, status: 'done', results: [measured(1), measured(2)] })).toBe(
      'Measured 2 points.',
    );
    expect(statusText({ ...base, status: 'idle', results: [measured(1)] })).toBe('Stopped after 1 point.');
    expect(statusText({ ...base, status: 'idle', results: [] })).toBe('');
    expect(statusText({ ...base, status: 'idle', results: [], invalid: true })).toBe(
      'Fix the setting marked in red to measure.',
    );
    const progress = { index: 3, total: 6, label: 'view/minimal @ batch 2' };
    expect(statusText({ ...base, status: 'measuring', progress, results: [], cancelRequested: true })).toBe(
      'Measuring view/minimal @ batch 2 (3 of 6)… Stopping after this point (Stop now abandons it).',
    );
  });
});
