/** `headroom fit`: flags, the table and sentences, JSON, a report's calibration, refusals. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adviseFit } from '../engine/fit/advisor';
import { setupLabel } from '../engine/fit/rank';
import type { FitAnswer } from '../engine/fit/types';
import { PRESETS } from '../engine/models/spec';
import { encodeReport } from '../engine/report/io';
import { sweepReport } from '../engine/testing/sweepReport';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';
import { parseFitFlags, type FitFlags } from './fit';
import { runCli } from './testing/runCli';

const dir = mkdtempSync(join(tmpdir(), 'headroom-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED_ARGS = ['fit', '--preset', 'seed', '--budget', '6GiB', '--batch', '64', '--optimizer', 'adamw'];
const seedAnswer = adviseFit({
  model: { ...PRESETS.seed },
  chunk: 64,
  budgetBytes: 6 * 2 ** 30,
  effectiveBatch: 64,
  optimizer: 'adamw',
  dtypes: ['f32', 'mixed'],
  allocator: 'lazy',
  limits: { ...WEBGPU_DEFAULT_LIMITS },
});

const base: FitFlags = {
  preset: 'tiny',
  chunk: '8',
  loss: 'standard',
  lossChunk: '128',
  budget: '1MiB',
  batch: '8',
  optimizer: 'sgd',
  dtypes: 'f32,mixed',
  allocator: 'lazy',
};

describe('headroom fit', () => {
  it('answers the seed question: which setups train at batch 64 on 6 GiB with AdamW, and the fastest', async () => {
    const { code, stdout, stderr } = await runCli(...SEED_ARGS);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const n = seedAnswer.fitting.length;
    expect(stdout).toContain(
      `Setups that train at effective batch 64 within 6GiB (6.0 GiB), optimizer adamw, allocator lazy: ${n} of 168 fit`,
    );
    // One table row per fitting setup, numbered 1..n, the fastest first.
    const rows = stdout.split('\n').filter((l) => /^\s*\d+ {2}/.test(l));
    expect(rows).toHaveLength(n);
    const first = seedAnswer.fastest!;
    expect(rows[0]).toMatch(new RegExp(`^\\s*1  ${first.strategy}/${first.retention}\\s+${first.dtype}\\s`));
    for (const s of seedAnswer.sentences) expect(stdout).toContain(s);
    expect(stdout).toMatch(/copying permutes\s+\S+ \S+ {2}copy\/tape → view\/tape/);
  });

  it('writes the answer as JSON, and lists the setups that do not fit with --all', async () => {
    const json = await runCli(...SEED_ARGS, '--json', '-');
    expect(json.code).toBe(0);
    const a = JSON.parse(json.stdout) as FitAnswer;
    expect(a.fitting.map(setupLabel)).toEqual(seedAnswer.fitting.map(setupLabel));
    expect(a.fitting.map((s) => s.peakBytes)).toEqual(seedAnswer.fitting.map((s) => s.peakBytes));
    expect(a.suspects).toEqual(seedAnswer.suspects);

    const file = join(dir, 'fit.json');
    const all = await runCli(...SEED_ARGS, '--all', '--json', file);
    expect(all.stderr).toBe(`wrote ${file}\n`);
    expect((JSON.parse(readFileSync(file, 'utf8')) as FitAnswer).notFitting).toHaveLength(
      seedAnswer.notFitting.length,
    );
    const refused = all.stdout.split('\n').filter((l) => l.includes('does not fit: '));
    expect(refused).toHaveLength(seedAnswer.notFitting.length);
    expect(refused.every((l) => /over budget/.test(l))).toBe(true);
  });

  it("takes measured GPU times from a report's measured points", async () => {
    const report = sweepReport({
      model: PRESETS.tiny,
      preset: 'tiny',
      strategies: ['view'],
      retentions: ['minimal'],
      batches: [8],
      measured: true,
    });
    const path = join(dir, 'measured.json');
    writeFileSync(path, await encodeReport(report));
    const { code, stdout } = await runCli(
      'fit',
      '--preset',
      'tiny',
      '--chunk',
      '64',
      '--budget',
      '64MiB',
      '--batch',
      '8',
      '--optimizer',
      'none',
      '--dtypes',
      'f32',
      '--report',
      path,
      '--json',
      '-',
    );
    expect(code).toBe(0);
    const a = JSON.parse(stdout) as FitAnswer;
    const measured = a.fitting.find((s) => setupLabel(s) === 'view/minimal, f32, 8')!;
    // The fake report leaves in-place nodes unmeasured (no allocation): those are estimated.
    expect(measured.time.source).toBe('partly measured');
    expect(measured.time.estimatedMs).toBeLessThan(measured.time.measuredMs);
    const gpuMs = report.points[0]!.measured!.ops.reduce((s, o) => s + (o.gpuMs ?? 0), 0);
    expect(measured.time.measuredMs).toBeCloseTo(gpuMs, 9);
    expect(a.fitting.find((s) => setupLabel(s) === 'copy/minimal, f32, 8')!.time.source).toBe('estimated');
  });

  it('parses budgets, dtypes, the device speed and limits', () => {
    const f = parseFitFlags({
      ...base,
      budget: '6GB',
      dtypes: 'f16',
      flops: '1e13',
      bandwidth: '300GB',
      dispatchUs: '5',
      maxBindingSize: '1GiB',
    });
    expect(f.request.budgetBytes).toBe(6e9);
    expect(f.request.dtypes).toEqual(['f16']);
    expect(f.request.device).toEqual({
      f32FlopsPerSecond: 1e13,
      f16FlopsPerSecond: 1e13,
      bytesPerSecond: 3e11,
      dispatchSeconds: 5e-6,
    });
    expect(f.request.limits.maxStorageBufferBindingSize).toBe(2 ** 30);
  });

  it('refuses bad flags with a clear message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', '--preset', 'tiny', '--batch', '8'], /--budget is required/],
      [['fit', '--preset', 'tiny', '--budget', '1GiB'], /--batch is required/],
      [
        ['fit', '--budget', '1GiB', '--batch', '8', '--dtypes', 'f32,f64'],
        /--dtypes must be one of f32, f16, mixed, got "f64"/,
      ],
      [
        ['fit', '--budget', '1GiB', '--batch', '8', '--optimizer', 'adam'],
        /--optimizer must be one of none, sgd, adamw/,
      ],
      [['fit', '--budget', '6G', '--batch', '8'], /--budget has an unknown unit/],
      [['fit', '--budget', '1GiB', '--batch', '8', '--strategy', 'copy'], /unknown option '--strategy'/],
      [['fit', '--budget', '1GiB', '--batch', '8', '--flops', 'fast'], /--flops must be a positive number/],
      [['fit', '--budget', '1GiB', '--batch', '8', '--heads', '5'], /not divisible by 5 heads/],
      [
        ['fit', '--budget', '1GiB', '--batch', '8', '--report', join(dir, 'missing.json')],
        /missing\.json: no such file/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await runCli(...argv);
      expect(stderr, argv.join(' ')).toMatch(message);
      expect(code, argv.join(' ')).toBe(2);
    }
  });
});
