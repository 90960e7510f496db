/**
 * Run by deviceLoss.gpu.test.ts in a child process (Dawn needs LD_LIBRARY_PATH set at process
 * start): a 4-point sweep on the real runtime whose GPUDevice is destroyed just before the 3rd
 * point (argument `between`, the default), or in the middle of it, at its first compute dispatch
 * (argument `mid-step`: onnxruntime is running the step).
 * Prints one JSON line: each point's outcome, the number of device resets, which device each step
 * ended on, and the peaks of batches 3 and 4 measured on the first device before the sweep
 * (controls).
 */
import { stepRequest } from '../../engine/profile/stepRequest';
import { runSweep, type StepRuntime, type SweepPoint } from '../../engine/profile/sweep';
import { PRESETS } from '../../engine/models/spec';
import { openNodeGpu } from '../nodeGpu';

const midStep = process.argv[2] === 'mid-step';
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
    optimizer: 'none',
    microBatches: 1,
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
    if (steps === 3 && !midStep) {
      device.destroy();
      destroyed = device;
    }
    if (steps === 3 && midStep) {
      // Destroyed at the step's first dispatch: onnxruntime is in the middle of running it.
      const proto = GPUComputePassEncoder.prototype;
      const dispatch = proto.dispatchWorkgroups;
      proto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args) {
        dispatch.apply(this, args);
        if (destroyed) return;
        destroyed = device;
        proto.dispatchWorkgroups = dispatch;
        device.destroy();
      };
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

// Controls: batches 3 and 4 on the first device, before anything is destroyed.
const control = await gpu.runtime.measureStep(stepRequest(points[2]!.spec, 3).request);
const control4 = await gpu.runtime.measureStep(stepRequest(points[3]!.spec, 4).request);
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
    control4PeakLiveBytes: control4.peakLiveBytes,
    lostReason: destroyed ? (await destroyed.lost).reason : null,
  })}\n`,
);
