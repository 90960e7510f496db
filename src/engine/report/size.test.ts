/**
 * The size of a whole sweep's report file: the seed preset, 4 strategies × 3 retentions × batches
 * 1..64 (768 points), planned and measured (the measurement faked from the plan, GPU times in
 * whole microseconds: src/engine/testing/sweepReport.ts). docs/report-format.md quotes the sizes.
 */
import { describe, expect, it } from 'vitest';
import { sweepReport } from '../testing/sweepReport';
import { compactReport } from './compact';
import { decodeReport, gzipBytes, prettyJson } from './io';
import type { Report } from './report';

const MB = 1_000_000;
const enc = new TextEncoder();

/** The version 1 file's size, a point at a time (the whole is ~350 MB of JSON). */
function v1Bytes(r: Report): number {
  const { points, ...rest } = r;
  let n = enc.encode(JSON.stringify({ ...rest, schemaVersion: 1, points: [] })).length;
  for (const p of points) n += enc.encode(JSON.stringify(p)).length + 1;
  return n - 1;
}

describe('report file size', () => {
  it('the seed sweep, planned and measured, is at most 3 MB as version 2 JSON', async () => {
    const t0 = performance.now();
    const batches = Array.from({ length: 64 }, (_, i) => i + 1);
    // Validated once, when it is read back.
    const r = sweepReport({ batches, measured: true, validate: false });
    const t1 = performance.now();
    expect(r.points).toHaveLength(768);
    const file = compactReport(r);
    const v2 = enc.encode(JSON.stringify(file));
    const t2 = performance.now();
    const pretty = enc.encode(prettyJson(file));
    const gz = await gzipBytes(v2);
    const v1 = v1Bytes(r);
    const t3 = performance.now();
    const back = await decodeReport(gz);
    const t4 = performance.now();
    console.log(
      `seed sweep, 768 points planned and measured: v1 ${v1} B, v2 ${v2.length} B ` +
        `(pretty ${pretty.length} B), v2 gzipped ${gz.length} B; ` +
        `build ${(t1 - t0).toFixed(0)} ms, compact ${(t2 - t1).toFixed(0)} ms, sizes ${(t3 - t2).toFixed(0)} ms, ` +
        `decode ${(t4 - t3).toFixed(0)} ms`,
    );
    expect(v2.length).toBeLessThanOrEqual(3 * MB);
    expect(pretty.length).toBeLessThanOrEqual(3 * MB);
    expect(gz.length).toBeLessThan(v2.length);
    expect(back).toEqual(r);
  }, 120_000);
});
