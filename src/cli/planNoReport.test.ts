/**
 * `plan` without --json computes peaks only: the per-op records of every point (what made
 * `plan --preset gpt2-small` over many batches run out of memory) are built only for a report.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeReport } from '../engine/report/io';
import { runCli } from './testing/runCli';

const calls = vi.hoisted(() => ({ predicted: 0 }));
vi.mock('../engine/plan/toReport', async (load) => {
  const real = await load<typeof import('../engine/plan/toReport')>();
  return {
    ...real,
    predicted: (...args: Parameters<typeof real.predicted>) => {
      calls.predicted++;
      return real.predicted(...args);
    },
  };
});

describe('headroom plan, table only', () => {
  it('builds no per-op plan without --json, and one per point with it', async () => {
    const args = ['plan', '--preset', 'tiny', '--strategy', 'copy,view', '--batch', '1,2,4'];
    const table = await runCli(...args);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^strategy\s+retention\s+B=1\s+B=2\s+B=4$/m);
    expect(calls.predicted).toBe(0);
    const json = await runCli(...args, '--json', '-');
    expect(json.code, json.stderr).toBe(0);
    expect(calls.predicted).toBe(6);
    expect((await decodeReport(new TextEncoder().encode(json.stdout))).points).toHaveLength(6);
  });
});
