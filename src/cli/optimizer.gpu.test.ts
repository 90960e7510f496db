/**
 * The optimizer's update and gradient accumulation measured on WebGPU: one `headroom profile`
 * process per check on the tiny preset, every point's planned peak equal to the measured one.
 * And `mixed` needs shader-f16: on an adapter without it (SwiftShader) profile refuses it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import { describeWithVulkan, headroom } from './testing/spawn';

const dir = mkdtempSync(join(tmpdir(), 'headroom-optimizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['--preset', 'tiny'];

describeWithVulkan('the optimizer and gradient accumulation on WebGPU', () => {
  it(
    'adamw (batch 2) and sgd with 2 micro-batches of 2: planned peak = measured peak',
    { timeout: 8 * 60_000 },
    async () => {
      const runs = [
        { name: 'adamw', flags: ['--optimizer', 'adamw', '--batch', '2'], k: 1, batch: 2 },
        {
          name: 'sgd-k2',
          flags: ['--optimizer', 'sgd', '--batch', '4', '--micro-batch', '2'],
          k: 2,
          batch: 2,
        },
      ];
      for (const run of runs) {
        const out = join(dir, `${run.name}.json`);
        const sweep = ['--strategy', 'view,fused', '--retention', 'minimal,checkpoint'];
        const r = await headroom(['profile', ...TINY, ...sweep, ...run.flags, '--out', out]);
        expect(r.code, r.stderr).toBe(0);
        const report = await decodeReport(readFileSync(out));
        expect(report.optimizer).toBe(run.flags[1]);
        expect(report.microBatches).toBe(run.k);
        expect(report.points).toHaveLength(4);
        for (const p of report.points) {
          const label = `${run.name} ${p.strategy}/${p.retention} @ ${p.batch}`;
          expect(p.error, label).toBeNull();
          expect(p.batch, label).toBe(run.batch);
          expect(Number.isFinite(p.measured!.loss), label).toBe(true);
          expect(p.predicted!.peakBytes, label).toBe(p.measured!.peakLiveBytes);
          expect(p.predicted!.byCategory['optimizer state'], label).toBeGreaterThan(0);
          expect(p.predicted!.floorBytes, label).toBeLessThanOrEqual(p.predicted!.peakBytes);
          // The update ran on the GPU: one node per parameter (the tiny GPT has 28) wrote its new
          // value (with micro-batches, where the apply micro-step holds the peak).
          const updates = p.measured!.ops.filter((o) => /^optimizer\/.*\/update$/.test(o.node));
          if (run.k === 1) expect(updates, label).toHaveLength(28);
          else expect([0, 28], label).toContain(updates.length);
        }
      }
    },
  );

  it(
    'mixed precision on an adapter without shader-f16: a clear error, exit 1',
    { timeout: 4 * 60_000 },
    async () => {
      const out = join(dir, 'mixed.json');
      const r = await headroom([
        'profile',
        ...TINY,
        '--dtype',
        'mixed',
        '--adapter',
        'swiftshader',
        '--out',
        out,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--dtype mixed needs the adapter's shader-f16 feature/);
    },
  );
});
