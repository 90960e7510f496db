import { describe, expect, it } from 'vitest';
import type { Curve } from '../../engine/explore/types';
import {
  coincidenceNote,
  coincidentGroups,
  drawnBatches,
  floorSeries,
  MAX_DRAWN_BATCHES,
  groupLabel,
  log2Ticks,
  maxBatchMarkers,
  maxBytes,
  plannedRows,
  valueAt,
} from './chartRows';
import { FIXTURE_CURVES } from './fixtures';

const MiB = 2 ** 20;
const [copyMin, viewMin, copyTape] = FIXTURE_CURVES as [Curve, Curve, Curve, Curve, Curve];

describe('coincident curves', () => {
  it('groups curves equal at every point, and explains copy = view under minimal retention', () => {
    const groups = coincidentGroups(FIXTURE_CURVES, 'live');
    expect(groups.map(groupLabel)).toEqual([
      'copy/minimal = view/minimal',
      'copy/tape',
      'fused/minimal',
      'chunked/checkpoint',
    ]);
    expect(coincidenceNote(groups[0]!)).toBe(
      'copy/minimal and view/minimal coincide: under minimal retention the copies are freed before the peak',
    );
    expect(coincidenceNote(groups[1]!)).toBeNull();
  });

  it('does not group curves that differ at one batch', () => {
    const changed: Curve = {
      ...viewMin,
      points: viewMin.points.map((p, i) => (i === 3 ? { ...p, peakBytes: p.peakBytes + 1 } : p)),
    };
    expect(coincidentGroups([copyMin, changed], 'live').map(groupLabel)).toEqual([
      'copy/minimal',
      'view/minimal',
    ]);
  });

  it('says only that other curves coincide', () => {
    const tapeTwin: Curve = { ...copyTape, combo: { strategy: 'fused', retention: 'tape' } };
    expect(coincidenceNote(coincidentGroups([copyTape, tapeTwin], 'live')[0]!)).toBe(
      'copy/tape and fused/tape coincide at every planned batch',
    );
  });

  it('never groups curves without reserved bytes', () => {
    const noReserved = FIXTURE_CURVES.map((c) => ({
      ...c,
      points: c.points.map((p) => ({ ...p, reservedBytes: null })),
    }));
    expect(coincidentGroups(noReserved, 'reserved')).toHaveLength(FIXTURE_CURVES.length);
  });
});

describe('chart rows', () => {
  it('has one row per planned batch with every curve and one shared floor', () => {
    const floors = floorSeries(FIXTURE_CURVES);
    expect(floors.map((f) => f.label)).toEqual(['floor']);
    const rows = plannedRows(FIXTURE_CURVES, 'live', floors);
    expect(rows.map((r) => r.batch)).toEqual([1, 2, 4, 8, 16, 32, 64, 96, 128, 160, 192, 256]);
    expect(rows[6]).toMatchObject({
      batch: 64,
      'copy/tape': (700 + 112 * 64) * MiB,
      floor: (400 + 64) * MiB,
    });
  });

  it('draws one floor per group when floors differ', () => {
    const other: Curve = { ...copyTape, points: copyTape.points.map((p) => ({ ...p, floorBytes: 1 })) };
    expect(floorSeries([copyMin, viewMin, other]).map((f) => f.label)).toEqual([
      'floor (copy/minimal, view/minimal)',
      'floor (copy/tape)',
    ]);
  });

  it('reads reserved bytes and leaves out missing ones', () => {
    const rows = plannedRows([copyTape], 'reserved', []);
    expect(rows[0]?.['copy/tape']).toBe(Math.round((700 + 112) * MiB * 1.25));
    const none = plannedRows(
      [{ ...copyTape, points: copyTape.points.map((p) => ({ ...p, reservedBytes: null })) }],
      'reserved',
      [],
    );
    expect(none.every((r) => r['copy/tape'] === undefined)).toBe(true);
  });

  it('spans the budget and measured values too', () => {
    const rows = plannedRows([copyMin], 'live', []);
    expect(maxBytes(rows, [])).toBe((600 + 36 * 256) * MiB);
    expect(maxBytes(rows, [2 ** 40])).toBe(2 ** 40);
  });
});

describe('drawn batches', () => {
  const dense = (maxBatch: number, last: number): Curve => ({
    ...copyMin,
    maxBatch,
    points: Array.from({ length: last }, (_, i) => ({ ...copyMin.points[0]!, batch: i + 1 })),
  });

  it('draws every batch of a short curve', () => {
    expect([...drawnBatches([dense(20, 80)])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 80 }, (_, i) => i + 1),
    );
  });

  it('thins a long curve but keeps its ends and where it crosses the budget', () => {
    const drawn = drawnBatches([dense(301, 512), dense(77, 400)]);
    expect(drawn.size).toBeLessThanOrEqual(MAX_DRAWN_BATCHES + 16);
    expect(drawn.size).toBeGreaterThan(MAX_DRAWN_BATCHES / 2);
    for (const b of [1, 2, 3, 4, 8, 16, 64, 77, 78, 301, 302, 400, 512])
      expect(drawn.has(b), `batch ${b}`).toBe(true);
    const rows = plannedRows([dense(301, 512)], 'live', []);
    expect(rows.map((r) => r.batch)).toEqual([...drawnBatches([dense(301, 512)])].sort((a, b) => a - b));
  });
});

describe('values between planned batches', () => {
  it('is exact at planned batches and interpolated between them', () => {
    expect(valueAt(copyTape, 64, 'live')).toEqual({ bytes: (700 + 112 * 64) * MiB, exact: true });
    expect(valueAt(copyTape, 48, 'live')).toEqual({ bytes: (700 + 112 * 48) * MiB, exact: false });
    expect(valueAt(copyTape, 1000, 'live')).toBeNull();
    expect(valueAt(copyTape, 0, 'live')).toBeNull();
  });

  it('puts markers at each max batch, with what binds', () => {
    const markers = maxBatchMarkers(FIXTURE_CURVES, 'live');
    expect(markers.map((m) => [m.key, m.batch, m.binds])).toEqual([
      ['copy/minimal', 85, 'buffer-limit'],
      ['view/minimal', 85, 'buffer-limit'],
      ['copy/tape', 48, 'budget'],
      ['fused/minimal', 217, 'budget'],
      ['chunked/checkpoint', 255, 'buffer-limit'],
    ]);
  });

  it('ticks a log-2 axis at powers of two', () => {
    expect(log2Ticks(100)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(log2Ticks(1)).toEqual([1]);
  });
});
