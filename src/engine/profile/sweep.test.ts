/** The sweep's bookkeeping with a scripted runtime: failures, skips and cancellation. */
import { describe, expect, it } from 'vitest';
import { PRESETS, type BuildSpec } from '../models/spec';
import { fakeMeasureResult } from '../testing/fakeMeasureResult';
import { classifyFailure, runSweep, type StepRuntime, type SweepPoint, type SweepProgress } from './sweep';

const spec = (strategy: BuildSpec['strategy']): BuildSpec => ({
  model: { ...PRESETS.tiny, layers: 1 },
  strategy,
  retention: 'minimal',
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
});
const points: SweepPoint[] = [1, 2, 4, 8].map((batch) => ({ spec: spec('view'), batch }));

const result = (batch: number) => fakeMeasureResult({ peakLiveBytes: 1000 * batch });

/** A runtime whose device is lost on the `lostAt`-th step (1-based) and healthy after a reset. */
function scripted(lostAt: number): StepRuntime & { resets: number; steps: number } {
  const rt = {
    resets: 0,
    steps: 0,
    lost: false,
    async measureStep(req: { feeds: Record<string, { dims: number[] }> }) {
      rt.steps++;
      if (rt.steps === lostAt) rt.lost = true;
      if (rt.lost) throw Object.assign(new Error('run: Device is lost'), { code: 'run' });
      return result(req.feeds['tokens']!.dims[0]!);
    },
    resetDevice() {
      rt.resets++;
      rt.lost = false;
    },
  };
  return rt as unknown as StepRuntime & { resets: number; steps: number };
}

describe('runSweep', () => {
  it('keeps the points before a device loss, records it, starts a fresh device and measures the rest', async () => {
    const rt = scripted(2);
    const seen: SweepProgress['status'][] = [];
    const out = await runSweep(points, rt, { onProgress: (p) => seen.push(p.status) });
    expect(out.map((p) => p.batch)).toEqual([1, 2, 4, 8]);
    expect(out[0]!.measured?.peakLiveBytes).toBe(1000);
    expect(out[1]!.error?.code).toBe('device-lost');
    expect(out[1]!.measured).toBeNull();
    expect(out[2]!.measured?.peakLiveBytes).toBe(4000);
    expect(out[3]!.measured?.peakLiveBytes).toBe(8000);
    expect(rt.resets).toBe(1);
    expect(seen).toEqual(['start', 'measured', 'start', 'failed', 'start', 'measured', 'start', 'measured']);
  });

  it('keeps the first step (shader compilation) apart from the median of the steps after it', async () => {
    const times = [900, 30, 10, 20];
    let step = 0;
    const rt = {
      async measureStep() {
        return fakeMeasureResult({ peakLiveBytes: 1000, stepMs: times[step++]! });
      },
      resetDevice() {},
    } as unknown as StepRuntime;
    const [point] = await runSweep(points.slice(0, 1), rt, { repeat: 4 });
    expect(point!.measured?.firstStepMs).toBe(900);
    expect(point!.measured?.stepMs).toBe(20);
    step = 0;
    const [single] = await runSweep(points.slice(0, 1), rt, { repeat: 1 });
    expect([single!.measured?.firstStepMs, single!.measured?.stepMs]).toEqual([900, 900]);
  });

  it('skips a point whose largest tensor exceeds the device limit, or whose plan exceeds the budget', async () => {
    const rt = scripted(0);
    const out = await runSweep(points, rt, {
      limits: { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 5000 },
      budgetBytes: 3000,
      plan: ({ batch }) => ({ predicted: null, peakBytes: 1000 * batch, largestTensorBytes: 1000 * batch }),
    });
    expect(out.map((p) => p.error?.code ?? 'ok')).toEqual(['ok', 'ok', 'over-budget', 'over-limit']);
    expect(out[3]!.error?.message).toMatch(
      /exceeds the device's maxStorageBufferBindingSize 4.88 KiB \(5000 B\)$/,
    );
    expect(rt.steps).toBe(2);
  });

  it('refuses an invalid configuration without running it', async () => {
    const rt = scripted(0);
    const bad: SweepPoint = { spec: { ...spec('view'), model: { ...PRESETS.tiny, embd: 30 } }, batch: 1 };
    const [p] = await runSweep([bad], rt);
    expect(p!.error).toEqual({
      code: 'invalid-config',
      message: 'embedding size 30 is not divisible by 4 heads',
    });
    expect(rt.steps).toBe(0);
  });

  it('on cancel, keeps what was measured and marks the rest cancelled', async () => {
    const rt = scripted(0);
    const ac = new AbortController();
    const out = await runSweep(points, rt, {
      signal: ac.signal,
      onProgress: (p) => p.status === 'measured' && p.index === 1 && ac.abort(),
    });
    expect(out.map((p) => p.error?.code ?? 'ok')).toEqual(['ok', 'ok', 'cancelled', 'cancelled']);
  });
});

describe('classifyFailure', () => {
  it("keeps onnxruntime's message, without repeating the code the point already has", () => {
    const ort = 'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: Too many storage buffers in shader.';
    const run = Object.assign(new Error(`run: ${ort}`), { code: 'run' });
    expect(classifyFailure(run)).toEqual({ code: 'run', message: ort });
    // A code of its own (here oom) keeps the stage the message names.
    const oom = Object.assign(new Error('session: Failed to create GPU buffer: size=1024'), {
      code: 'session',
    });
    expect(classifyFailure(oom)).toEqual({
      code: 'oom',
      message: 'session: Failed to create GPU buffer: size=1024',
    });
    expect(classifyFailure(new Error('something'))).toEqual({ code: 'run', message: 'something' });
  });
});
