/**
 * Run by nodeGpu.test.ts in a child process (Dawn needs LD_LIBRARY_PATH set at process start):
 * a 4-point sweep on the real runtime whose GPUDevice is destroyed just before the 3rd point.
 * Prints one JSON line: each point's outcome, the number of device resets, which device each step
 * ended on, and the peak of batch 3 measured on the first device before the sweep (a control).
 */
import { stepRequest } from '../../engine/profile/stepRequest';
import { runSweep, type StepRuntime, type SweepPoint } from '../../engine/profile/sweep';
import { PRESETS } from '../../engine/models/spec';
import { openNodeGpu } from '../nodeGpu';

const opened = await openNodeGpu('auto', { canRelaunch: false });
if ('relaunch' in opened) throw new Error('no adapter in this process');
const { gpu } = opened;

const points: SweepPoint[] = [1, 2, 3, 4].map((batch) => ({
  spec: {
    model: { ...PRESETS.tiny, layers: 1, attentionOnly: true },
    strategy: 'view',
    retention: 'minimal',
    chunk: 64,
    dtype: 'f32',
  },
  batch,
}));

const devices: GPUDevice[] = [];
/** Per step: the index (in `devices`) of the device it started with. */
const ranOn: number[] = [];
let destroyed: GPUDevice | undefined;
let steps = 0;
let resets = 0;
const runtime: StepRuntime = {
  async measureStep(req) {
    steps++;
    const { device } = await gpu.measure.device();
    if (!devices.includes(device)) devices.push(device);
    if (steps === 3) {
      device.destroy();
      destroyed = device;
    }
    try {
      return await gpu.runtime.measureStep(req);
    } finally {
      const { device: after } = await gpu.measure.device();
      if (!devices.includes(after)) devices.push(after);
      ranOn.push(devices.indexOf(after));
    }
  },
  async resetDevice() {
    resets++;
    await gpu.runtime.resetDevice();
  },
};

// Control: batch 3 on the first device, before anything is destroyed.
const control = await gpu.runtime.measureStep(stepRequest(points[2]!.spec, 3).request);
const results = await runSweep(points, runtime, {});
const { device: last } = await gpu.measure.device();
if (!devices.includes(last)) devices.push(last);
gpu.close();
process.stdout.write(
  `${JSON.stringify({
    points: results.map((p) => ({
      batch: p.batch,
      measured: p.measured !== null,
      peakLiveBytes: p.measured?.peakLiveBytes ?? null,
      error: p.error,
    })),
    resets,
    devices: devices.length,
    ranOn,
    controlPeakLiveBytes: control.peakLiveBytes,
    lostReason: destroyed ? (await destroyed.lost).reason : null,
  })}\n`,
);
