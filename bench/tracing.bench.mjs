/**
 * Tracing overhead: how much slower a training step runs with the GPU tracer's wrappers on the
 * WebGPU prototypes than without them, on the SAME onnxruntime-web session, run many times in
 * pairs (traced, untraced; the tracer is switched by swapping the wrapped prototype methods for the
 * originals, so nothing else changes and tracer.ts needs no switch); target <= 1.05. Also the wall time per point of a
 * measured sweep (graph build, session, step, attribution) on the real runtime.
 *
 * Run by `npm run bench` (bench/run.mjs, through tsx). Adapter: HEADROOM_BENCH_ADAPTER
 * (auto | gpu | swiftshader, default auto: relaunches itself on SwiftShader without a GPU).
 * HEADROOM_BENCH_PAIRS sets the number of (traced, untraced) run pairs per step (default 60).
 * Writes bench-results/tracing.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { globals } from 'webgpu';
import { openNodeGpu, RELAUNCHED_ENV } from '../src/cli/nodeGpu';
import { PRESETS } from '../src/engine/models/spec';
import { stepRequest } from '../src/engine/profile/stepRequest';
import { runSweep } from '../src/engine/profile/sweep';
import { installSharedBufferWriteShim } from '../src/engine/runtime/shims';
import { getTracer } from '../src/engine/runtime/tracer';

const PAIRS = Number(process.env.HEADROOM_BENCH_PAIRS ?? 60);
const WARMUP = 2;
const TARGET = 1.05;

// The prototypes' methods after the writeBuffer shim (which ORT needs in Node) and before the tracer.
const PROTOS = ['GPUDevice', 'GPUBuffer', 'GPUQueue', 'GPUCommandEncoder', 'GPUComputePassEncoder'];
function methods() {
  const out = new Map();
  for (const name of PROTOS) {
    const proto = globalThis[name].prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof d?.value === 'function') out.set(`${name}.${key}`, d.value);
    }
  }
  return out;
}
Object.assign(globalThis, globals);
installSharedBufferWriteShim();
const untraced = methods();

const opened = await openNodeGpu(process.env.HEADROOM_BENCH_ADAPTER ?? 'auto', { canRelaunch: true });
if ('relaunch' in opened) {
  console.error(`no GPU adapter: running again on SwiftShader`);
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...opened.relaunch, [RELAUNCHED_ENV]: '1' },
  });
  process.exit(r.status ?? 1);
}
const { gpu } = opened;
const traced = methods();
const wrapped = [...traced.keys()].filter((k) => traced.get(k) !== untraced.get(k));
const tracer = getTracer();
function setTracing(on) {
  for (const key of wrapped) {
    const [name, method] = key.split('.');
    globalThis[name].prototype[method] = (on ? traced : untraced).get(key);
  }
}

const spec = (strategy, retention, preset = 'tiny') => ({
  model: { ...PRESETS[preset] },
  strategy,
  retention,
  chunk: 64,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
});
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const median = (xs) => quantile(xs, 0.5);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// 1. Wall time per sweep point, on the real measuring runtime (the first point warms shaders up).
const sweepPoints = ['copy', 'view', 'fused', 'chunked'].flatMap((s) =>
  [1, 2].map((batch) => ({ spec: spec(s, 'minimal'), batch })),
);
const starts = [];
const walls = [];
const t0 = performance.now();
const swept = await runSweep(sweepPoints, gpu.runtime, {
  onProgress: (p) => {
    if (p.status === 'start') starts[p.index] = performance.now();
    else walls[p.index] = performance.now() - starts[p.index];
  },
});
const sweepMs = performance.now() - t0;
const failed = swept.filter((p) => !p.measured);
if (failed.length) throw new Error(`sweep points failed: ${JSON.stringify(failed.map((p) => p.error))}`);
const sweep = {
  points: sweepPoints.length,
  model: 'tiny, copy|view|fused|chunked, minimal, batch 1|2',
  totalMs: round(sweepMs, 0),
  firstPointWallMs: round(walls[0], 0),
  laterPointWallMs: { median: round(median(walls.slice(1)), 0), mean: round(mean(walls.slice(1)), 0) },
  laterPointStepMs: { median: round(median(swept.slice(1).map((p) => p.measured.stepMs)), 0) },
};
console.error(`sweep: ${JSON.stringify(sweep)}`);

// 2. Traced / untraced step time on one session.
const ort = await import('onnxruntime-web/webgpu');
const { device } = await gpu.measure.device();

async function overhead(strategy, retention, batch, preset = 'tiny') {
  const { request } = stepRequest(spec(strategy, retention, preset), batch, 'lazyRelease');
  const session = await ort.InferenceSession.create(request.model, {
    executionProviders: [{ name: 'webgpu', device, storageBufferCacheMode: 'lazyRelease' }],
    ...(request.keepOnGpu?.length
      ? { preferredOutputLocation: Object.fromEntries(request.keepOnGpu.map((n) => [n, 'gpu-buffer'])) }
      : {}),
    graphOptimizationLevel: 'disabled',
    extra: { session: { disable_cpu_ep_fallback: '1' } },
  });
  const feeds = Object.fromEntries(
    Object.entries(request.feeds).map(([name, f]) => [name, new ort.Tensor(f.type, f.data, f.dims)]),
  );
  const once = async () => {
    const from = tracer.mark('bench-run');
    const t = performance.now();
    const out = await session.run(feeds);
    const ms = performance.now() - t;
    for (const v of Object.values(out)) v.dispose();
    const events = tracer.slice(from + 1).length;
    tracer.trim(tracer.mark('bench-trim'));
    return { ms, events };
  };
  const times = { true: [], false: [] };
  const pairRatios = [];
  let eventsPerStep = 0;
  let firstRunMs = 0;
  try {
    // The session's first run compiles the pipelines this graph's shapes need (ORT specialises
    // shaders by shape): a measured point's step time includes that; the runs below do not.
    firstRunMs = (await once()).ms;
    for (const on of [true, false]) {
      setTracing(on);
      for (let i = 0; i < WARMUP; i++) await once();
    }
    // Pairs of runs, traced and untraced in alternating order, so that drift hits both arms.
    for (let i = 0; i < PAIRS; i++) {
      const ms = {};
      for (const on of i % 2 ? [true, false] : [false, true]) {
        setTracing(on);
        const run = await once();
        ms[on] = run.ms;
        times[on].push(run.ms);
        if (on) eventsPerStep = run.events;
      }
      pairRatios.push(ms.true / ms.false);
    }
  } finally {
    setTracing(true);
    await session.release();
  }
  const result = {
    point: `${preset} ${strategy}/${retention} @ batch ${batch}`,
    pairs: PAIRS,
    tracedMs: { median: round(median(times.true)), mean: round(mean(times.true)) },
    untracedMs: { median: round(median(times.false)), mean: round(mean(times.false)) },
    /** Median over pairs of traced / untraced time: the figure held against the target. */
    ratio: round(median(pairRatios), 4),
    /** How noisy the machine is: the middle half of the pair ratios. */
    pairRatioIqr: [round(quantile(pairRatios, 0.25), 4), round(quantile(pairRatios, 0.75), 4)],
    ratioOfMedians: round(median(times.true) / median(times.false), 4),
    tracedEventsPerStep: eventsPerStep,
    firstRunMs: round(firstRunMs, 0),
  };
  console.error(`overhead: ${JSON.stringify(result)}`);
  return result;
}

// The tiny model's step is all dispatch overhead (the worst case for a tracer of API calls); on a
// GPU, also the seed nanoGPT, whose kernels do real work (too slow for SwiftShader).
const steps = [await overhead('view', 'minimal', 2), await overhead('copy', 'tape', 2)];
if (gpu.kind === 'gpu') steps.push(await overhead('view', 'minimal', 8, 'seed'));
gpu.close();

const worst = Math.max(...steps.map((s) => s.ratio));
const results = {
  createdAt: new Date().toISOString(),
  device: gpu.device.adapter,
  adapter: gpu.kind,
  wrappedMethods: wrapped,
  note: 'step = session.run (upload, every kernel, read back loss and gradients); ORT profiling off in both arms',
  overhead: { target: TARGET, worstRatio: worst, pass: worst <= TARGET, steps },
  sweep,
};
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/tracing.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
