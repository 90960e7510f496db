/**
 * Chunked attention with more query chunks than one Split may have pieces on WebGPU (issue #8:
 * 8+ chunks failed with a bare number and a stray `[` on stdout): one `headroom profile` process
 * on a tiny model with 10 chunks (the last one short) measures every retention at batches 1 and
 * 2, and the planner predicts each peak exactly. One child process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeReport } from '../engine/report/io';
import { MAX_PIECES } from '../engine/strategies/chunked';
import { describeWithVulkan, headroom } from './testing/spawn';

const dir = mkdtempSync(join(tmpdir(), 'headroom-chunked-many-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEQ = 19;
const CHUNK = 2;
const CHUNKS = Math.ceil(SEQ / CHUNK);

describeWithVulkan('chunked attention with many query chunks on WebGPU', () => {
  it(
    `${CHUNKS} chunks: every retention runs, planned peak = measured peak, stdout clean`,
    { timeout: 8 * 60_000 },
    async () => {
      expect(CHUNKS).toBeGreaterThan(MAX_PIECES);
      const out = join(dir, 'report.json');
      const model = ['--attention-only', '--layers', '1', '--seq', `${SEQ}`, '--embd', '32', '--heads', '4'];
      const sweep = [
        '--strategy',
        'chunked',
        '--chunk',
        `${CHUNK}`,
        '--retention',
        'minimal,tape,checkpoint',
      ];
      const r = await headroom(['profile', ...model, ...sweep, '--batch', '1,2', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`wrote ${out}: 6 measured, 0 skipped, 0 failed`);
      const report = await decodeReport(readFileSync(out));
      expect(report.points).toHaveLength(6);
      for (const p of report.points) {
        const label = `${p.retention} @ batch ${p.batch}`;
        expect(p.error, label).toBeNull();
        expect(Number.isFinite(p.measured!.loss), label).toBe(true);
        expect(p.predicted?.peakBytes, label).toBe(p.measured!.peakLiveBytes);
        // one scores Einsum per chunk ran in the forward pass
        const scores = p.measured!.ops.filter(
          (o) => o.phase === 'forward' && /scores_chunk\d+$/.test(o.node),
        );
        expect(scores, label).toHaveLength(CHUNKS);
      }
    },
  );
});
