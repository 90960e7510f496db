/**
 * One measured training step: an onnxruntime-web session on the native WebGPU EP, on a device
 * this module requests itself, with every buffer traced and every byte attributed to a node.
 *
 * Order matters: the tracer (and the console tap that captures ORT's profile output, and the wasm
 * tap that lets a bare C++ exception address be turned into ORT's message) must be installed
 * before onnxruntime-web is first imported; this module imports ORT dynamically after installing
 * them. One device is kept and reused across measurements (ORT's first run on a fresh
 * device compiles every shader; later sessions reuse nothing but the device); call
 * `releaseDevice()` to destroy it.
 */
import type * as Ort from 'onnxruntime-web';
import { fromHalfBits } from '../onnx/dtype';
import { attribute, type FeedInfo } from './attribute';
import { installConsoleTap, type OutputCapture } from './capture';
import { installWasmTap, ortErrorText } from './ortError';
import { parseProfile, type ParsedProfile } from './profile';
import { installTracer, type GpuTracer, type LiveBuffer, type TraceEvent } from './tracer';
import type { DeviceSummary, MeasureRequest, MeasureResult } from './types';

type OrtModule = typeof Ort;

export interface RuntimeOptions {
  /** How to capture what ORT prints (its profile). Default: a console.log tap (browsers). */
  capture?: OutputCapture;
  /** Loads onnxruntime-web's WebGPU build. Default: import('onnxruntime-web/webgpu'). */
  loadOrt?: () => Promise<OrtModule>;
  /** Receives the raw material of each measurement (for fixtures and debugging). */
  onTrace?: (trace: RawTrace) => void;
}

export interface RawTrace {
  events: TraceEvent[];
  baseline: LiveBuffer[];
  profileText: string;
}

/**
 * An error with a stable code for the UI ('no-webgpu', 'session', 'run', 'profile', 'release',
 * 'device-lost'); the message after the code is onnxruntime's own.
 */
export class MeasureError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'MeasureError';
  }
}

/**
 * Features ORT's WebGPU EP uses when the adapter has them (timestamp-query gives kernel times).
 * Not 'subgroups': with it, ORT 1.30's MultiHeadAttention on SwiftShader returned wrong values
 * (max error 0.43 against a causal reference where the plain path is exact to 1e-7).
 */
const WANTED_FEATURES = ['timestamp-query', 'shader-f16'] as const;
/** The limits ORT raises to the adapter's maximum when it creates its own device. */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxBindGroups',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
] as const;

export async function requestDevice(): Promise<{ device: GPUDevice; summary: DeviceSummary }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new MeasureError('no-webgpu', 'navigator.gpu is missing (WebGPU not available here)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new MeasureError('no-webgpu', 'navigator.gpu.requestAdapter() returned null');
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const requiredLimits: Record<string, number> = {};
  for (const k of RAISED_LIMITS) requiredLimits[k] = adapter.limits[k];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  const info = adapter.info;
  const summary: DeviceSummary = {
    adapter: [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' '),
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    limits: {
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    },
    features: [...device.features].map(String).sort(),
  };
  return { device, summary };
}

function feedInfo(req: MeasureRequest): FeedInfo[] {
  return Object.entries(req.feeds).map(([name, f]) => ({
    name,
    dtype: f.type === 'float32' ? 'float' : f.type,
    shape: f.dims,
    bytes: f.data.byteLength,
  }));
}

function toFloat32(t: Ort.Tensor): Float32Array {
  // ORT hands float16 data back as raw bits (Uint16Array) where Float16Array is missing (Node 20).
  if (t.type === 'float16' && t.data instanceof Uint16Array) return Float32Array.from(t.data, fromHalfBits);
  if (t.data instanceof Float32Array) return new Float32Array(t.data);
  if (t.data instanceof BigInt64Array) return Float32Array.from(t.data, (v) => Number(v));
  return Float32Array.from(t.data as ArrayLike<number>);
}

export class MeasureRuntime {
  private ort: OrtModule | undefined;
  private gpu: { device: GPUDevice; summary: DeviceSummary } | undefined;
  private readonly capture: OutputCapture;
  private traced: GpuTracer | undefined;

  constructor(private readonly options: RuntimeOptions = {}) {
    this.capture = options.capture ?? installConsoleTap();
  }

  /** The tracer, installed before ORT is first imported. */
  private get tracer(): GpuTracer {
    if (!this.traced) {
      if (typeof GPUDevice === 'undefined') throw new MeasureError('no-webgpu', 'no WebGPU in this realm');
      this.traced = installTracer();
    }
    return this.traced;
  }

  private async loadOrt(wasmPaths: string | undefined): Promise<OrtModule> {
    void this.tracer;
    installWasmTap();
    if (!this.ort) {
      this.ort = await (this.options.loadOrt ?? (() => import('onnxruntime-web/webgpu')))();
      this.ort.env.wasm.numThreads = 1;
      this.ort.env.wasm.proxy = false;
    }
    if (wasmPaths) this.ort.env.wasm.wasmPaths = wasmPaths;
    return this.ort;
  }

  /** Devices this runtime requested that were lost (or destroyed), and why. */
  private readonly lost = new WeakMap<GPUDevice, GPUDeviceLostInfo>();

  /** The device, requested on first use and kept until releaseDevice() or loss. */
  async device(): Promise<{ device: GPUDevice; summary: DeviceSummary }> {
    if (!this.gpu) {
      const gpu = await requestDevice();
      this.gpu = gpu;
      void gpu.device.lost.then((info) => {
        this.lost.set(gpu.device, info);
        // Lost without destroy() (a driver reset, say): its buffers are gone all the same.
        this.tracer.onDeviceDestroy(gpu.device);
        if (this.gpu === gpu) this.gpu = undefined;
      });
    }
    return this.gpu;
  }

  /**
   * `e`, or, when `device` was lost meanwhile, a MeasureError('device-lost') naming the loss as its
   * cause. onnxruntime's own calls are never abandoned when the device goes (its asyncify wasm
   * cannot start another call while one is suspended: a later session in the same module then
   * fails or crashes the process); they settle by themselves, failing, and are explained here.
   */
  private blameLoss(device: GPUDevice, e: unknown, stage: string): unknown {
    const lost = this.lost.get(device);
    if (!lost) return e;
    const why = e instanceof Error ? e.message.replace(/^\w[\w-]*: /, '') : String(e);
    return new MeasureError('device-lost', `the device was lost during ${stage} (${lost.reason}): ${why}`);
  }

  releaseDevice(): void {
    this.gpu?.device.destroy();
    this.gpu = undefined;
  }

  /** Runs the one measured step between the step-start and step-end marks; captures the profile. */
  private async runStep(
    ort: OrtModule,
    session: Ort.InferenceSession,
    req: MeasureRequest,
    deviceErrors: string[],
  ): Promise<StepRecord> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const [name, f] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(f.type, f.data, f.dims);
    const baseline = [...this.tracer.live.values()];
    const stepFrom = this.tracer.mark('step-start');
    const t1 = performance.now();
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await session.run(feeds);
    } catch (e) {
      throw new MeasureError('run', errorText(e, deviceErrors));
    }
    const stepMs = performance.now() - t1;
    const stepTo = this.tracer.mark('step-end');
    const outputs: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(result)) {
      if (t.location === 'cpu') outputs[name] = toFloat32(t);
      t.dispose();
    }
    let profileText: string;
    try {
      profileText = this.capture(() => session.endProfiling());
    } catch (e) {
      throw new MeasureError('profile', errorText(e, deviceErrors));
    }
    return { baseline, stepFrom, stepTo, stepMs, profileText, outputs };
  }

  /**
   * Releases a session. What ORT prints meanwhile is swallowed: its destructor ends profiling,
   * which writes the profile's opening `[` to stdout (the CLI's stdout stays clean) before the
   * WebGPU EP's profiler throws when the run failed.
   */
  private async release(session: Ort.InferenceSession): Promise<void> {
    let released: Promise<void> = Promise.resolve();
    try {
      this.capture(() => {
        released = session.release();
      });
      await released;
    } catch (e) {
      throw new MeasureError('release', ortErrorText(e));
    }
  }

  async measureStep(req: MeasureRequest): Promise<MeasureResult> {
    const ort = await this.loadOrt(req.wasmPaths);
    const { device, summary } = await this.device();
    const tracer = this.tracer;
    const errors: string[] = [];
    const onError = (ev: Event) => errors.push(String((ev as GPUUncapturedErrorEvent).error?.message ?? ev));
    device.addEventListener?.('uncapturederror', onError);

    const first = tracer.mark('session-create');
    const t0 = performance.now();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(req.model, {
        executionProviders: [{ name: 'webgpu', device, storageBufferCacheMode: req.cacheMode }],
        ...(req.keepOnGpu?.length
          ? {
              preferredOutputLocation: Object.fromEntries(
                req.keepOnGpu.map((n) => [n, 'gpu-buffer' as const]),
              ),
            }
          : {}),
        graphOptimizationLevel: 'disabled',
        enableProfiling: true,
        extra: { session: { disable_cpu_ep_fallback: '1' } },
      });
    } catch (e) {
      device.removeEventListener?.('uncapturederror', onError);
      throw this.blameLoss(device, new MeasureError('session', errorText(e, errors)), 'session creation');
    }
    const sessionMs = performance.now() - t0;
    let step: StepRecord | undefined;
    let failure: unknown;
    try {
      step = await this.runStep(ort, session, req, errors);
    } catch (e) {
      failure = this.blameLoss(device, e, 'the step');
    }
    try {
      await this.release(session);
    } catch (e) {
      // The release must not hide why the step failed: after a failed run ORT's destructor
      // throws too ("Profiling is ongoing in an inference run").
      if (step) failure = e;
    } finally {
      tracer.mark('session-released');
      device.removeEventListener?.('uncapturederror', onError);
    }
    if (!step || failure !== undefined) throw failure;
    const { baseline, stepFrom, stepTo, stepMs, profileText, outputs } = step;

    const notes: string[] = [];
    let profile: ParsedProfile = { nodes: [], kernels: [], runs: 0 };
    try {
      profile = parseProfile(profileText);
    } catch (e) {
      notes.push(`profile not parsed: ${(e as Error).message}`);
    }
    const events = tracer.slice(stepFrom + 1, stepTo);
    this.options.onTrace?.({ events, baseline, profileText });
    const a = attribute({
      events,
      baseline,
      profile,
      nodes: req.nodes,
      feeds: feedInfo(req),
      cacheMode: req.cacheMode,
      gpuOutputs: new Set(req.keepOnGpu ?? []),
    });
    tracer.trim(first);
    if (errors.length) notes.push(...errors.map((m) => `device error: ${m}`));
    return {
      peakLiveBytes: a.peakLiveBytes,
      peakReservedBytes: a.peakReservedBytes,
      baselineBytes: a.baselineBytes,
      stepMs,
      sessionMs,
      outputs,
      ops: a.ops,
      unattributedBytes: a.unattributedBytes,
      nonTensorBytes: a.nonTensorBytes,
      nonTensor: a.nonTensor,
      attribution: a.method,
      notes: [...notes, ...a.notes],
      device: summary,
    };
  }
}

interface StepRecord {
  baseline: LiveBuffer[];
  stepFrom: number;
  stepTo: number;
  stepMs: number;
  profileText: string;
  outputs: Record<string, Float32Array>;
}

function errorText(e: unknown, deviceErrors: string[]): string {
  const msg = ortErrorText(e);
  return deviceErrors.length ? `${msg} (device: ${deviceErrors.join('; ')})` : msg;
}

let shared: MeasureRuntime | undefined;

/** Measures one step on this realm's shared runtime (one device, reused until releaseDevice()). */
export function measureStep(req: MeasureRequest, options?: RuntimeOptions): Promise<MeasureResult> {
  shared ??= new MeasureRuntime(options);
  return shared.measureStep(req);
}

/** Destroys the shared runtime's device. */
export function releaseDevice(): void {
  shared?.releaseDevice();
}
