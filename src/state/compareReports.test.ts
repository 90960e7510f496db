import { describe, expect, it } from 'vitest';
import type { OpRecord, Point } from '../engine/report/schema';
import { compareReports, peakOf } from './compareReports';

const op = (node: string, opType: string, allocBytes: number): OpRecord => ({
  node,
  opType,
  phase: 'forward',
  scope: 'block0',
  allocBytes,
  freedBytes: 0,
  liveBytesAfter: 0,
  outputs: [],
  gpuMs: null,
});

function point(ops: OpRecord[], peak: number, measured = true): Point {
  const predicted = {
    peakBytes: peak + 1,
    peakNode: 'x',
    floorBytes: 0,
    byCategory: { parameter: peak + 1 } as never,
    byScope: { attention: 0, other: peak + 1 },
    ops: [op('planned', 'Plan', 1)],
  };
  return {
    strategy: 'view',
    retention: 'minimal',
    batch: 4,
    predicted,
    measured: measured
      ? { peakLiveBytes: peak, peakReservedBytes: peak, unattributedBytes: 0, stepMs: 1, loss: 1, ops }
      : null,
    error: null,
  };
}

describe('compareReports', () => {
  it('aligns the measured ops by node name, with both peaks and the biggest difference', () => {
    const a = point([op('q', 'MatMul', 100), op('t1', 'Transpose', 50), op('t2', 'Transpose', 50)], 1024);
    const b = point(
      [op('q', 'MatMul', 100), op('t1', 'Transpose', 150), op('t2', 'Transpose', 250), op('x', 'Add', 8)],
      2048,
    );
    const r = compareReports({ name: 'a.json', point: a }, { name: 'b.json', point: b });
    expect(r.sources).toEqual({ a: 'measured', b: 'measured' });
    expect(r.comparison.rows.map((x) => x.node)).toEqual(['q', 't1', 't2', 'x']);
    expect(r.comparison.rows[1]).toMatchObject({
      a: { allocBytes: 50, heldAtPeak: 0 },
      b: { allocBytes: 150 },
    });
    expect(r.comparison.rows[3]!.a).toBeNull();
    expect(r.comparison.a.peakBytes).toBe(1024);
    expect(r.comparison.b.peakBytes).toBe(2048);
    expect(r.summary).toBe(
      'a.json peaks at 1.00 KiB, b.json at 2.00 KiB: B holds 1.00 KiB more; the biggest difference is 2 Transpose nodes allocating 300 B more',
    );
    expect(r.comparison.summary).toBe(r.summary);
  });

  it('uses the predicted ops of a point not measured, and says when B holds less', () => {
    const a = point([op('q', 'MatMul', 100)], 4096);
    const b = point([], 2048, false);
    const r = compareReports({ name: 'A', point: a }, { name: 'B', point: b });
    expect(r.sources).toEqual({ a: 'measured', b: 'predicted' });
    expect(peakOf(b)).toBe(2049);
    expect(r.comparison.rows.map((x) => x.node)).toEqual(['planned', 'q']); // b's own nodes before their first shared one
    expect(r.summary).toMatch(
      /^A peaks at 4\.00 KiB, B at 2\.00 KiB: B holds 2\.00 KiB less; the biggest difference is 1 MatMul node allocating 100 B less$/,
    );
  });
});
