import { describe, expect, it } from 'vitest';
import { PRESETS } from '../models/spec';
import { sweepReport } from '../testing/sweepReport';
import { compactReport, expandReport } from './compact';
import { packGpuUs, unpackGpuUs } from './gpuTimes';
import {
  decodeReport,
  encodeReport,
  gunzipLimited,
  gzipBytes,
  isGzip,
  jsonDepth,
  MAX_INFLATED_BYTES,
  MAX_REPORT_FILE_BYTES,
  prettyJson,
  ReportImportError,
} from './io';
import { parseReport, type Report } from './report';
import type { OpRecord } from './schema';
import { reportFileV2Schema } from './schemaV2';

const tiny = (measured: boolean) =>
  sweepReport({
    model: PRESETS.tiny,
    preset: 'tiny',
    strategies: ['view', 'chunked'],
    retentions: ['minimal', 'checkpoint'],
    batches: [1, 2, 3, 5, 8],
    measured,
  });

/** A report with every kind of point and every irregularity compact.ts has to keep. */
function irregular(): Report {
  const r = tiny(true);
  const points = r.points.map((p, i) => {
    if (i === 0) return { ...p, measured: null, error: { code: 'over-budget' as const, message: 'too big' } };
    if (i === 1)
      return {
        ...p,
        predicted: null,
        measured: null,
        error: { code: 'invalid-config' as const, message: 'no' },
      };
    if (i === 2) return { ...p, predicted: null };
    if (i === 3 && p.measured) {
      // onnxruntime's order differs, a node the plan does not have, bytes off the line, a time
      // that is not whole microseconds, no nonTensorBytes (a report written before it existed).
      const ops: OpRecord[] = p.measured.ops.map((op) => ({ ...op }));
      [ops[3], ops[4]] = [ops[4]!, ops[3]!];
      ops.splice(6, 0, {
        node: 'MemcpyToHost_7',
        opType: 'MemcpyToHost',
        phase: 'forward',
        scope: '',
        allocBytes: 48,
        freedBytes: 0,
        liveBytesAfter: ops[5]!.liveBytesAfter + 48,
        outputs: [{ name: 'MemcpyToHost_7:0', shape: [3, 2, 1], dtype: 'int64', bytes: 48 }],
        gpuMs: 0.0123456789,
      });
      ops[8] = {
        ...ops[8]!,
        allocBytes: ops[8]!.allocBytes + 16,
        liveBytesAfter: ops[8]!.liveBytesAfter + 999,
      };
      const measured = { ...p.measured, ops };
      delete measured.nonTensorBytes;
      return { ...p, measured };
    }
    if (i === 7 && p.measured) {
      const ops = p.measured.ops.map((op) => ({ ...op }));
      ops[2] = {
        ...ops[2]!,
        allocBytes: ops[2]!.allocBytes + 16,
        liveBytesAfter: ops[2]!.liveBytesAfter + 16,
      };
      return { ...p, measured: { ...p.measured, ops } };
    }
    if (i === 4) return { ...p, measured: null, error: { code: 'oom' as const, message: 'out of memory' } };
    return p;
  });
  return parseReport({
    ...r,
    points,
    maxBatch: [
      { strategy: 'view', retention: 'minimal', budgetBytes: 1 << 20, batch: 7, limitedBy: 'budget' },
    ],
  });
}

describe('compact form (schemaVersion 2)', () => {
  it('round-trips planned and measured sweeps exactly', () => {
    for (const r of [tiny(false), tiny(true), irregular()]) {
      const file = compactReport(r);
      expect(reportFileV2Schema.safeParse(file).success).toBe(true);
      expect(expandReport(JSON.parse(JSON.stringify(file)))).toEqual(r);
    }
  });

  it('stores each node once, with the batch symbolic', () => {
    const file = compactReport(tiny(true));
    const g = file.graphs.find((x) => x.strategy === 'view' && x.retention === 'minimal')!;
    const nodes = g.sequences[0]!.nodes.map((n) => file.nodes[n]!);
    const planned = tiny(false).points.find((p) => p.strategy === 'view' && p.retention === 'minimal')!;
    // One sequence for planned and measured (same nodes, same bytes), one node per op.
    expect(g.sequences).toHaveLength(1);
    expect(nodes.map((n) => n.node)).toEqual(planned.predicted!.ops.map((op) => op.node));
    expect(nodes[0]!.outputs[0]!.shape[0]).toBe('B');
    expect(nodes[0]!.outputs[0]!.shape.slice(1)).toEqual([16]);
    const point = file.points.find(
      (p) => p.strategy === 'view' && p.retention === 'minimal' && p.batch === 3,
    )!;
    expect(point.predicted!.ops.gpu).toBeNull();
    expect(unpackGpuUs(point.measured!.ops.gpu!)).toHaveLength(nodes.length);
  });

  it('keeps what is irregular as exceptions and extra table entries', () => {
    const r = irregular();
    const file = compactReport(r);
    const p = file.points[3]!.measured!.ops;
    expect(p.gpuMs).toEqual([6, 0.0123456789]);
    const g = file.graphs[0]!;
    expect(g.sequences[p.seq]!.nodes.map((n) => file.nodes[n]!.node)).toEqual(
      r.points[3]!.measured!.ops.map((op) => op.node),
    );
    expect(file.nodes.filter((n) => n.node === 'MemcpyToHost_7')).toHaveLength(1);
    // A point on a shared sequence keeps only what differs: one allocation, one live total.
    const q = file.points[7]!.measured!.ops;
    const ops = r.points[7]!.measured!.ops;
    expect(q.alloc).toEqual([2, ops[2]!.allocBytes]);
    expect(q.freed).toEqual([]);
    expect(q.live).toEqual([3, ops[3]!.liveBytesAfter]);
  });
});

describe('encodeReport / decodeReport', () => {
  it('writes version 2 by default and reads it back', async () => {
    const r = irregular();
    const bytes = await encodeReport(r);
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as { schemaVersion: number; graphs: unknown };
    expect(doc.schemaVersion).toBe(2);
    expect(doc.graphs).toBeDefined();
    expect(await decodeReport(bytes)).toEqual(r);
  });

  it('writes and reads version 1, gzip and pretty JSON', async () => {
    const r = irregular();
    for (const opts of [
      { version: 1 as const },
      { gzip: true },
      { pretty: true },
      { version: 1 as const, gzip: true, pretty: true },
    ]) {
      const bytes = await encodeReport(r, opts);
      expect(isGzip(bytes)).toBe(opts.gzip === true);
      expect(await decodeReport(bytes)).toEqual(r);
    }
    const v1 = JSON.parse(new TextDecoder().decode(await encodeReport(r, { version: 1 }))) as Report;
    expect((v1 as { schemaVersion: number }).schemaVersion).toBe(1);
    expect(v1.points[3]!.measured!.ops).toEqual(r.points[3]!.measured!.ops);
  });

  it('packs GPU times in base-32 digits', () => {
    const us = [0, 31, 32, 1023, 1024, 32767, null, Number.MAX_SAFE_INTEGER, 5];
    expect(packGpuUs([0, 31, 32, null, 1023])).toBe('AfhA._f');
    expect(unpackGpuUs(packGpuUs(us))).toEqual(us);
    expect(() => unpackGpuUs('h')).toThrow(/cut short/);
    expect(() => unpackGpuUs('A!')).toThrow(/unexpected "!" at 1/);
    expect(() => unpackGpuUs('_'.repeat(12) + 'A')).toThrow(/too large/);
  });

  it('pretty JSON keeps lists of numbers on one line', () => {
    expect(prettyJson({ a: [1, 2, null], b: [{ c: 'x' }], d: {}, e: [] })).toBe(
      '{\n  "a": [1,2,null],\n  "b": [\n    {\n      "c": "x"\n    }\n  ],\n  "d": {},\n  "e": []\n}',
    );
  });

  it('refuses what is not a report with ReportImportError naming the field', async () => {
    const r = tiny(false);
    const doc = JSON.parse(new TextDecoder().decode(await encodeReport(r))) as Record<string, unknown>;
    const bad = async (d: unknown) => {
      const e = await decodeReport(new TextEncoder().encode(JSON.stringify(d))).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ReportImportError);
      return (e as Error).message;
    };
    expect(await bad({ ...doc, schemaVersion: 3 })).toMatch(/schemaVersion: expected 1 or 2, got 3/);
    expect(await bad({ ...doc, createdAt: 5 })).toMatch(/createdAt/);
    expect(await bad([])).toMatch(/expected a JSON object/);
    const points = doc.points as { predicted: { ops: { seq: number } } }[];
    points[0]!.predicted.ops.seq = 99;
    expect(await bad(doc)).toMatch(/points\[0\]\.predicted\.ops\.seq: no sequence 99/);
    expect(await decodeReport(new TextEncoder().encode('{"a":')).catch((e: unknown) => e)).toBeInstanceOf(
      ReportImportError,
    );
  });

  it('gzips and inflates up to a cap, streaming', async () => {
    const zeros = new Uint8Array(4 << 20);
    const gz = await gzipBytes(zeros);
    expect(isGzip(gz)).toBe(true);
    expect(gz.length).toBeLessThan(10_000);
    const back = await gunzipLimited(gz);
    expect(back.length).toBe(zeros.length);
    expect(back.every((b) => b === 0)).toBe(true);
    await expect(gunzipLimited(gz, 1 << 20)).rejects.toThrow(ReportImportError);
    await expect(gunzipLimited(gz.slice(0, gz.length - 9))).rejects.toThrow(ReportImportError);
    expect(MAX_INFLATED_BYTES).toBeGreaterThan(MAX_REPORT_FILE_BYTES);
  });

  it('measures JSON nesting outside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonDepth('"\\"[["')).toBe(0);
    expect(jsonDepth('['.repeat(100_000), 64)).toBe(65);
  });
});
