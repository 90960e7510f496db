/**
 * Device loss on the real runtime (WebGPU in a child process: testing/deviceLossSweep.ts): a
 * GPUDevice destroyed between two points of a sweep, or in the middle of a point's step.
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

  it(
    'a device destroyed in the middle of the 3rd step: that point is lost, the others kept, the 4th exact',
    { timeout: 5 * 60_000 },
    async () => {
      const r = await spawnIn('npx', ['tsx', 'src/cli/testing/deviceLossSweep.ts', 'mid-step'], {
        env: measuringEnv(),
      });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        points: {
          batch: number;
          measured: boolean;
          peakLiveBytes: number | null;
          error: { code: string; message: string } | null;
        }[];
        resets: number;
        control4PeakLiveBytes: number;
      };
      expect(out.points.map((p) => [p.batch, p.measured, p.error?.code ?? null])).toEqual([
        [1, true, null],
        [2, true, null],
        [3, false, 'device-lost'],
        [4, true, null],
      ]);
      // onnxruntime's run settles by itself (failing) and says why; the loss is named as the cause.
      expect(out.points[2]!.error!.message).toMatch(/^the device was lost during the step \(destroyed\): /);
      expect(out.resets).toBe(1);
      // The next point, on a fresh device, measures exactly what it measured before any loss:
      // nothing of the lost device's buffers is counted.
      expect(out.points[3]!.peakLiveBytes).toBe(out.control4PeakLiveBytes);
    },
  );
});
