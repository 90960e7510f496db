/**
 * Run by soak.gpu.test.ts in a child process: 10 `headroom profile` sweeps in one process, each
 * measuring one tiny point. After each it records what the process still holds — GPU buffers
 * (by the tracer), signal listeners, and active handles (their kinds: timers, sockets, pipes)
 * — and prints one JSON
 * line: a sweep that leaks grows one of them every time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTracer } from '../../engine/runtime/tracer';
import { runCli } from './runCli';

const SWEEPS = 10;
const dir = mkdtempSync(join(tmpdir(), 'headroom-soak-'));
const out = join(dir, 'report.json');
const args = ['profile', '--preset', 'tiny', '--attention-only', '--layers', '1', '--seq', '8'];
const held = () => {
  const live = [...(getTracer()?.live.values() ?? [])];
  return {
    buffers: live.length,
    bytes: live.reduce((n, b) => n + b.size, 0),
    listeners: ['SIGINT', 'SIGTERM', 'SIGHUP']
      .map((s) => process.listenerCount(s))
      .reduce((a, b) => a + b, 0),
    handles: process
      .getActiveResourcesInfo()
      .filter((r) => r !== 'TTYWrap')
      .join(','),
  };
};

const before = held();
const after: ReturnType<typeof held>[] = [];
const codes: number[] = [];
for (let i = 0; i < SWEEPS; i++) {
  const r = await runCli(...args, '--batch', String(1 + (i % 2)), '--adapter', 'auto', '--out', out);
  codes.push(r.code);
  if (r.code !== 0) process.stderr.write(r.stderr);
  // Let callbacks already queued (an Immediate, a zero timer) run: they are not held resources.
  await new Promise((resolve) => setTimeout(resolve, 50));
  after.push(held());
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ before, after, codes })}\n`);
