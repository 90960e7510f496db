/** `headroom plan`: flags, the planned table and report, and the real command end to end. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReport, gunzipLimited, isGzip } from '../engine/report/io';
import { runCli } from './testing/runCli';
import { parseReport } from '../engine/report/report';
import { formatPlanTable, parsePlanFlags, runPlan, type PlanFlags } from './plan';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';

const BIN = fileURLToPath(new URL('../../bin/headroom.mjs', import.meta.url));
const base: PlanFlags = {
  preset: 'tiny',
  strategy: 'copy,view,fused,chunked',
  retention: 'minimal,tape,checkpoint',
  chunk: '8',
  dtype: 'f32',
  optimizer: 'none',
  loss: 'standard',
  lossChunk: '128',
  batch: '1,2,4',
  allocator: 'lazy',
};

describe('headroom plan', () => {
  it('parses budgets, allocators and device limits', () => {
    const r = parsePlanFlags({ ...base, budget: '6GiB', allocator: 'bucket', maxBindingSize: '1GiB' });
    expect(r.budgetBytes).toBe(6 * 2 ** 30);
    expect(r.allocator).toBe('bucket');
    expect(r.limits).toEqual({
      maxBufferSize: WEBGPU_DEFAULT_LIMITS.maxBufferSize,
      maxStorageBufferBindingSize: 2 ** 30,
    });
    expect(() => parsePlanFlags({ ...base, allocator: 'pool' })).toThrow(
      /--allocator must be one of lazy, bucket/,
    );
    expect(() => parsePlanFlags({ ...base, budget: '6G' })).toThrow(/--budget/);
  });

  it('plans every combination and batch, with the max batch for the budget', async () => {
    const req = parsePlanFlags({ ...base, budget: '1MiB' });
    const { rows, report } = await runPlan(req);
    expect(rows).toHaveLength(12);
    expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report!.points).toHaveLength(36);
    expect(report!.points.every((p) => p.measured === null && p.predicted !== null)).toBe(true);
    for (const r of rows) {
      expect(r.peaks[0]).toBeLessThan(r.peaks[2]!);
      const mb = r.maxBatch!;
      expect(mb.limitedBy).toBe('budget');
      // The max batch fits the budget, and one more does not.
      const { plan } = (await import('../engine/plan/toReport')).planSpec(
        {
          model: req.sel.model,
          strategy: r.strategy as 'view',
          retention: r.retention as 'minimal',
          chunk: 8,
          dtype: 'f32',
          optimizer: 'none',
          microBatches: 1,
        },
        'lazy',
      );
      expect(plan.peakBytes(mb.batch)).toBeLessThanOrEqual(2 ** 20);
      expect(plan.peakBytes(mb.batch + 1)).toBeGreaterThan(2 ** 20);
    }
    const table = formatPlanTable(rows, req.sel.batches, req.budgetBytes);
    expect(table.split('\n')[0]).toMatch(/strategy\s+retention\s+B=1\s+B=2\s+B=4\s+max batch \(1\.0 MiB\)/);
    expect(table.trim().split('\n')).toHaveLength(14);
  });

  it('says when the largest tensor outgrows the device limits', async () => {
    const { rows } = await runPlan(
      parsePlanFlags({
        ...base,
        strategy: 'view',
        retention: 'minimal',
        maxBindingSize: '4KiB',
        budget: '1GiB',
      }),
    );
    expect(rows[0]!.overLimit).toEqual([true, true, true]);
    expect(rows[0]!.maxBatch).toMatchObject({ batch: 0, limitedBy: 'maxBufferSize' });
  });

  it('runs for the seed preset from the command line, table and JSON', async () => {
    const args = [
      'plan',
      '--preset',
      'seed',
      '--strategy',
      'copy,view,fused,chunked',
      '--retention',
      'minimal,tape,checkpoint',
    ];
    const table = spawnSync(
      process.execPath,
      [BIN, ...args, '--batch', '1,2,4,8,16,32,64', '--budget', '6GiB'],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(table.status, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/B=64\s+max batch \(6\.0 GiB\)$/);
    expect(lines.filter((l) => /^(copy|view|fused|chunked)\s/.test(l))).toHaveLength(12);
    const json = spawnSync(process.execPath, [BIN, ...args, '--batch', '8', '--json', '-'], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 256 * 2 ** 20, // every op of 12 points: megabytes of JSON
    });
    expect(json.status, json.stderr).toBe(0);
    const report = await decodeReport(new TextEncoder().encode(json.stdout));
    expect(report.points).toHaveLength(12);
    expect(JSON.parse(json.stdout).schemaVersion).toBe(2);
  });

  it('writes version 2, gzipped when the file name ends in .gz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-plan-'));
    try {
      const args = [
        'plan',
        '--preset',
        'tiny',
        '--strategy',
        'view',
        '--retention',
        'minimal',
        '--batch',
        '1,2',
      ];
      for (const name of ['r.json', 'r.json.gz']) {
        const r = await runCli(...args, '--json', join(dir, name));
        expect(r.code, r.stderr).toBe(0);
        const bytes = readFileSync(join(dir, name));
        expect(isGzip(bytes)).toBe(name.endsWith('.gz'));
        const report = await decodeReport(bytes);
        expect(report.points.map((p) => p.batch)).toEqual([1, 2]);
        const text = new TextDecoder().decode(isGzip(bytes) ? await gunzipLimited(bytes) : bytes);
        expect(JSON.parse(text).schemaVersion).toBe(2);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with exit code 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'plan', '--preset', 'tiny', '--budget', 'lots'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--budget must be a size/);
  });
});
