import { describe, expect, it } from 'vitest';
import { decodeReport, gunzipLimited, isGzip } from '../io';
import { sampleReport } from '../../testing/sampleReport';
import { defaultPoint, EXPORT_FORMATS, exportReportAs, pointOf, pointsCsv } from './index';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('pointOf', () => {
  const r = sampleReport();
  it('finds the point a reference names', () => {
    expect(pointOf(r, 'view/minimal@4')).toBe(r.points[1]);
    expect(pointOf(r, ' fused/minimal@2 ')).toBe(r.points[2]);
  });
  it('says what is wrong with a reference', () => {
    expect(() => pointOf(r, 'view-minimal-4')).toThrow(
      'a point is written strategy/retention@batch (e.g. view/minimal@8), got "view-minimal-4"',
    );
    expect(() => pointOf(r, 'flash/minimal@4')).toThrow(
      'unknown strategy "flash" in "flash/minimal@4": one of copy, view, fused, chunked',
    );
    expect(() => pointOf(r, 'view/all@4')).toThrow(
      /unknown retention "all".*one of minimal, tape, checkpoint/,
    );
    expect(() => pointOf(r, 'view/minimal@0')).toThrow(
      'the batch in "view/minimal@0" must be a positive integer',
    );
    expect(() => pointOf(r, 'view/minimal@1e3')).toThrow(/must be a positive integer/);
    expect(() => pointOf(r, 'view/tape@4')).toThrow(
      'no point view/tape@4 in the report; it has view/minimal@2, view/minimal@4, fused/minimal@2, copy/tape@2',
    );
  });
});

describe('defaultPoint', () => {
  it('is the largest measured peak, else the largest planned peak', () => {
    expect(defaultPoint(sampleReport())).toMatchObject({
      by: 'measured',
      point: { batch: 4, strategy: 'view' },
    });
    expect(defaultPoint(sampleReport({ measured: false }))).toMatchObject({
      by: 'planned',
      point: { batch: 4 },
    });
  });
});

describe('exportReportAs', () => {
  it('writes every engine format, gzipped on request', async () => {
    const r = sampleReport();
    const point = r.points[1]!;
    expect(await decodeReport(await exportReportAs(r, 'json'))).toEqual(r);
    const gz = await exportReportAs(r, 'json', { gzip: true });
    expect(isGzip(gz)).toBe(true);
    expect(await decodeReport(gz)).toEqual(r);
    expect(decode(await exportReportAs(r, 'csv'))).toBe(pointsCsv(r));
    expect(decode(await exportReportAs(r, 'csv', { point })).split('\r\n')[0]).toMatch(/^node,opType,/);
    expect(decode(await gunzipLimited(await exportReportAs(r, 'md', { gzip: true })))).toMatch(
      /^## Headroom report/,
    );
    const trace = JSON.parse(decode(await exportReportAs(r, 'trace', { point, ops: 'predicted' })));
    expect(trace.metadata).toMatchObject({ point: 'view/minimal@4', ops: 'predicted' });
    await expect(exportReportAs(r, 'trace')).rejects.toThrow(
      'the trace format describes one point: give one',
    );
    await expect(exportReportAs(r, 'onnx', { point })).rejects.toThrow(/rebuilds the training graph/);
    expect(EXPORT_FORMATS).toEqual(['json', 'csv', 'md', 'trace', 'snapshot', 'onnx']);
  });
});
