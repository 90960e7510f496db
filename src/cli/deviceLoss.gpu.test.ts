/**
 * Device loss on the real runtime (WebGPU in a child process: testing/deviceLossSweep.ts): a
 * GPUDevice destroyed in the middle of a sweep.
 */
import { expect, it } from 'vitest';
import { describeWithVulkan, measuringEnv, spawnIn } from './testing/spawn';

describeWithVulkan('device loss on the real runtime', () => {
  it(
    'a device destroyed before the 3rd point: the runtime sees the loss and takes a fresh device itself',
    { timeout: 5 * 60_000 },
    async () => {
      const r = await spawnIn('npx', ['tsx', 'src/cli/testing/deviceLossSweep.ts'], { env: measuringEnv() });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        points: { batch: number; measured: boolean; peakLiveBytes: number | null; error: unknown }[];
        resets: number;
        devices: number;
        ranOn: number[];
        lostReason: string | null;
        controlPeakLiveBytes: number;
      };
      // What happens: destroy() resolves device.lost at once, MeasureRuntime forgets the lost device
      // and requests a new one for point 3, so no point fails and the sweep never has to reset.
      expect(out.lostReason).toBe('destroyed');
      expect(out.points.map((p) => [p.batch, p.measured, p.error])).toEqual([
        [1, true, null],
        [2, true, null],
        [3, true, null],
        [4, true, null],
      ]);
      expect(out.ranOn).toEqual([0, 0, 1, 1]);
      expect([out.devices, out.resets]).toEqual([2, 0]);
      // The fresh device measures point 3 exactly as the first device did before the loss.
      expect(out.points[2]!.peakLiveBytes).toBe(out.controlPeakLiveBytes);
    },
  );
});
