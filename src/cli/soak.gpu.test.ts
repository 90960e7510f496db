/**
 * Soak, in CI-sized form: 10 measured sweeps in one CLI process leave nothing behind — no GPU
 * buffer (counted by the tracer), no signal listener, no timer or other handle.
 */
import { expect, it } from 'vitest';
import { describeWithVulkan, measuringEnv, spawnIn } from './testing/spawn';

describeWithVulkan('10 sweeps in one process', () => {
  it('hold no GPU buffer, listener or handle afterwards', { timeout: 5 * 60_000 }, async () => {
    const r = await spawnIn(process.execPath, ['--import', 'tsx', 'src/cli/testing/soak.ts'], {
      env: measuringEnv(),
    });
    expect(r.code, r.stderr).toBe(0);
    const { before, after, codes } = JSON.parse(r.stdout) as {
      before: { buffers: number; bytes: number; listeners: number; handles: string };
      after: { buffers: number; bytes: number; listeners: number; handles: string }[];
      codes: number[];
    };
    expect(codes).toEqual(Array<number>(10).fill(0));
    expect(after).toHaveLength(10);
    // Every sweep closes its device: no buffer is left, no signal listener stays, and nothing
    // grows from sweep to sweep (the first sweep may start what lives as long as the process:
    // Dawn's instance, onnxruntime's module).
    for (const a of after) {
      expect(a).toEqual(after[0]);
      expect([a.buffers, a.bytes, a.listeners]).toEqual([0, 0, before.listeners]);
    }
  });
});
