import { describe, expect, it } from 'vitest';
import { PRESETS } from '../models/spec';
import { createReport, parseReport } from './report';

const model = { preset: 'tiny', ...PRESETS.tiny };

describe('report', () => {
  it('round-trips through JSON and validates', () => {
    const r = createReport({
      device: null,
      model,
      dtype: 'f32',
      allocator: 'lazy',
      chunk: 64,
      points: [
        {
          strategy: 'view',
          retention: 'minimal',
          batch: 2,
          predicted: null,
          measured: null,
          error: { code: 'over-budget', message: 'planned peak exceeds the budget' },
        },
      ],
    });
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(r.schemaVersion).toBe(2);
  });

  it('names the bad field of an invalid report', () => {
    expect(() => parseReport({ schemaVersion: 2, tool: { name: 'headroom', version: '0' } })).toThrow(
      /createdAt/,
    );
    expect(() => parseReport({ schemaVersion: 1 })).toThrow(/schemaVersion/);
  });
});
