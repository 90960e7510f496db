/**
 * The loss strategies measured: `headroom profile` with `--loss chunked` for every strategy x
 * retention of the tiny preset at batch 2 (T 16 in chunks of 4, and of 2: past the 7 pieces of one
 * Split or Concat; one batch, to keep the tier CI-sized: batches 1, 2 and 4 of gpt2-small's
 * chunked loss were measured on an H200, bench/results/h200/) and with `--loss standard` for view/minimal, on WebGPU (SwiftShader without a GPU):
 * planned peak live bytes = measured, the report header records the loss, and both losses
 * compute the same loss value. The GPU tier (npm run test:gpu).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import type { Report } from '../engine/report/report';
import { describeWithVulkan, spawnIn } from './testing/spawn';

const dir = mkdtempSync(join(tmpdir(), 'headroom-loss-gpu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE = 60_000;

async function profile(name: string, args: string[]): Promise<Report> {
  const out = join(dir, `${name}.json`);
  const r = await spawnIn('npx', ['headroom', 'profile', '--preset', 'tiny', ...args, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return decodeReport(readFileSync(out));
}

describeWithVulkan('the loss strategies on WebGPU', () => {
  it(
    'chunked: planned = measured for every strategy x retention; the same loss as standard',
    { timeout: 10 * MINUTE },
    async () => {
      const chunked = await profile('chunked', [
        ...['--loss', 'chunked', '--loss-chunk', '4'],
        ...[
          '--strategy',
          'copy,view,fused,chunked',
          '--retention',
          'minimal,tape,checkpoint',
          '--batch',
          '2',
        ],
      ]);
      const manyChunks = await profile('chunked2', [
        ...[
          '--loss',
          'chunked',
          '--loss-chunk',
          '2',
          '--strategy',
          'view',
          '--retention',
          'minimal',
          '--batch',
          '2',
        ],
      ]);
      const standard = await profile('standard', [
        '--strategy',
        'view',
        '--retention',
        'minimal',
        '--batch',
        '2',
      ]);
      expect([chunked.loss, chunked.lossChunk, manyChunks.lossChunk, standard.loss]).toEqual([
        'chunked',
        4,
        2,
        'standard',
      ]);
      const points = [...chunked.points, ...manyChunks.points, ...standard.points];
      expect(points).toHaveLength(14);
      for (const p of points) {
        const at = `${p.strategy}/${p.retention}@${p.batch}`;
        expect(p.error, at).toBeNull();
        expect(p.predicted!.peakBytes, at).toBe(p.measured!.peakLiveBytes);
      }
      const loss = (r: Report) =>
        r.points.find((p) => p.strategy === 'view' && p.retention === 'minimal' && p.batch === 2)!.measured!
          .loss;
      expect(Math.abs(loss(chunked) - loss(standard))).toBeLessThan(1e-5 * Math.abs(loss(standard)));
      expect(Math.abs(loss(manyChunks) - loss(standard))).toBeLessThan(1e-5 * Math.abs(loss(standard)));
    },
  );
});
