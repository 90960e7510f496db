/**
 * `headroom profile` end to end: the real CLI in a child process, measuring on WebGPU (a GPU where
 * Dawn finds one, else SwiftShader on the CPU, which `--adapter auto` relaunches itself for).
 * The GPU tier (npm run test:gpu). The children run ORT's wasm on V8's Liftoff only (see
 * testing/liftoff.mjs): a process's first point then takes seconds on SwiftShader, not a minute.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import type { Report } from '../engine/report/report';
import { describeWithVulkan, headroom, spawnIn } from './testing/spawn';

const dir = mkdtempSync(join(tmpdir(), 'headroom-profile-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE = 60_000;

const readReport = (file: string): Promise<Report> => decodeReport(readFileSync(file));
/** A small, fast model for the runs that test exit codes. */
const SMALL = ['--preset', 'tiny', '--attention-only', '--layers', '1'];

describeWithVulkan('npx headroom profile on WebGPU', () => {
  it(
    'measures 16 points, attributes every byte, and tape peaks above minimal',
    { timeout: 10 * MINUTE },
    async () => {
      const out = join(dir, 'report.json');
      const args = [
        '--preset',
        'tiny',
        '--strategy',
        'copy,view,fused,chunked',
        '--retention',
        'minimal,tape',
      ];
      const r = await spawnIn('npx', ['headroom', 'profile', ...args, '--batch', '1,2', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^profile: 16 points on .*the first point can take ~30-60 s while V8 compiles onnxruntime's wasm/m,
      );
      const lines = r.stderr.split('\n').filter((l) => /^\[\d+\/16\]/.test(l));
      expect(lines).toHaveLength(16);
      for (const l of lines)
        expect(l).toMatch(
          /^\[\d+\/16\] \w+\/\w+ @ batch \d: peak live [\d.]+ \w+ \(planned [\d.]+ \w+\), reserved [\d.]+ \w+, [\d.]+ m?s$/,
        );
      expect(r.stderr).toContain(`wrote ${out}: 16 measured, 0 skipped, 0 failed`);

      const report = await readReport(out);
      expect(report.points).toHaveLength(16);
      expect(report.device).not.toBeNull();
      expect([report.allocator, report.dtype, report.model.preset]).toEqual(['lazy', 'f32', 'tiny']);
      for (const p of report.points) {
        expect(p.error, `${p.strategy}/${p.retention}@${p.batch}`).toBeNull();
        const m = p.measured!;
        const attributed = m.ops.reduce((s, o) => s + o.allocBytes, 0);
        if (m.unattributedBytes > 0)
          expect(attributed / (attributed + m.unattributedBytes)).toBeGreaterThanOrEqual(0.999);
        expect(Number.isFinite(m.loss)).toBe(true);
        // The planner, run before each point, predicts the measured peak exactly.
        expect(p.predicted?.peakBytes, `${p.strategy}/${p.retention}@${p.batch}`).toBe(m.peakLiveBytes);
      }
      const peak = (strategy: string, retention: string, batch: number) =>
        report.points.find((p) => p.strategy === strategy && p.retention === retention && p.batch === batch)!
          .measured!.peakLiveBytes;
      for (const s of ['copy', 'view', 'fused', 'chunked'])
        for (const b of [1, 2])
          expect(peak(s, 'tape', b), `${s} @ batch ${b}`).toBeGreaterThan(peak(s, 'minimal', b));
    },
  );

  it(
    'skips points planned over --budget, and exits 3 when a measured peak exceeds --fail-over-budget',
    { timeout: 5 * MINUTE },
    async () => {
      // Planned peaks of this model (npx headroom plan): view/minimal 43.3 KiB at batch 1,
      // 61.5 KiB at 2; view/tape 85.3 and 137 KiB.
      const out = join(dir, 'over.json');
      const sweep = ['--strategy', 'view', '--retention', 'minimal,tape', '--batch', '1,2'];
      const budgets = ['--budget', '60KiB', '--fail-over-budget', '1KiB'];
      const r = await headroom(['profile', ...SMALL, ...sweep, ...budgets, '--out', out]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /^\[2\/4\] view\/minimal @ batch 2: skipped: over-budget: planned peak 61.5 KiB \(62944 B\) exceeds the budget 60.0 KiB \(61440 B\)$/m,
      );
      expect(r.stderr).toMatch(
        /^over --fail-over-budget 1\.0 KiB: view\/minimal @ batch 1: peak live [\d.]+ KiB \(\d+ B\)$/m,
      );
      const report = await readReport(out);
      expect(report.points.map((p) => p.measured?.peakLiveBytes ?? p.error!.code)).toEqual([
        report.points[0]!.predicted!.peakBytes,
        'over-budget',
        'over-budget',
        'over-budget',
      ]);
      expect(
        report.maxBatch.map((m) => [m.strategy, m.retention, m.budgetBytes, m.batch, m.limitedBy]),
      ).toEqual([
        ['view', 'minimal', 61440, 1, 'budget'],
        ['view', 'tape', 61440, 0, 'budget'],
      ]);
    },
  );

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s cancels the points after the running one and writes what finished (exit %i)',
    { timeout: 5 * MINUTE },
    async (signal, code) => {
      const out = join(dir, `cancelled-${signal}.json`);
      writeFileSync(out, 'the previous report');
      let sent = false;
      const r = await headroom(
        ['profile', ...SMALL, '--strategy', 'copy,view', '--batch', '1,2', '--out', out],
        {
          onStderr: (child, stderr) => {
            if (!sent && /^\[1\/4\]/m.test(stderr)) {
              sent = true;
              child.kill(signal);
            }
          },
        },
      );
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(`cancelling (${signal}): the sweep stops after the point running now`);
      const status = (await readReport(out)).points.map((p) => (p.measured ? 'measured' : p.error!.code));
      // The point running when the signal came is finished; every later one is cancelled.
      expect(status[0]).toBe('measured');
      expect(status.at(-1)).toBe('cancelled');
      const firstCancelled = status.indexOf('cancelled');
      expect(status.slice(0, firstCancelled).every((s) => s === 'measured')).toBe(true);
      expect(status.slice(firstCancelled).every((s) => s === 'cancelled')).toBe(true);
    },
  );
});

describe('headroom profile killed with -9', () => {
  it(
    'leaves the previous file or a complete report, and its relaunched child stops',
    { timeout: 5 * MINUTE },
    async () => {
      const out = join(dir, 'killed.json');
      writeFileSync(out, 'the previous report');
      let killed = false;
      // Without a GPU the parent relaunches itself on SwiftShader: the child measures, the parent
      // waits, and -9 kills the parent only.
      await headroom(['profile', ...SMALL, '--strategy', 'copy,view', '--batch', '1,2', '--out', out], {
        onStderr: (child, stderr) => {
          if (!killed && /^\[1\/4\]/m.test(stderr)) {
            killed = true;
            child.kill('SIGKILL');
          }
        },
      });
      expect(killed).toBe(true);
      // The orphaned child notices, stops after its point and writes what finished (or nothing).
      const orphan = () => spawnSync('pgrep', ['-f', `out ${out}`], { encoding: 'utf8' }).stdout.trim();
      for (let i = 0; i < 600 && orphan(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(orphan()).toBe('');
      const text = readFileSync(out, 'utf8');
      if (text !== 'the previous report') {
        const status = (await readReport(out)).points.map((p) => (p.measured ? 'measured' : p.error!.code));
        expect(status[0]).toBe('measured');
        expect(status.at(-1)).toBe('cancelled');
      }
      expect(readdirSync(dir).filter((f) => f.includes('killed.json'))).toEqual(['killed.json']);
    },
  );
});

describe('headroom profile without an adapter', () => {
  it('exits 1 with a clear error when Dawn finds no adapter', { timeout: MINUTE }, async () => {
    const out = join(dir, 'none.json');
    const env = { ...process.env, VK_ICD_FILENAMES: join(dir, 'no-such-icd.json') };
    const r = await headroom(['profile', ...SMALL, '--adapter', 'gpu', '--out', out], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /^error: no WebGPU adapter: Dawn found no Vulkan GPU .*--adapter auto falls back to SwiftShader$/m,
    );
    expect(existsSync(out)).toBe(false);
  });
});
