/// <reference lib="webworker" />
/**
 * The measuring Web Worker (module worker): exposes the measured-run runtime over comlink.
 * The tracer and the console tap are installed here, at the top, before anything can import
 * onnxruntime-web (measure.ts imports it dynamically, on the first measurement).
 */
import { expose } from 'comlink';
import { installConsoleTap } from '../engine/runtime/capture';
import { installTracer } from '../engine/runtime/tracer';
import { MeasureRuntime, type RawTrace } from '../engine/runtime/measure';
import type { MeasureRequest, MeasureResult } from '../engine/runtime/types';
import { measurePoint } from '../engine/profile/measurePoint';
import { sweepPlanner, type SweepPlanner } from '../engine/profile/planner';
import type { Point } from '../engine/report/schema';
import { ALLOCATORS, type Allocator, type DeviceLimits } from '../engine/vocabulary';
import { buildTrainingGraph } from '../engine/models/build';
import { initParams } from '../engine/models/init';
import { tensorBytes } from '../engine/graph/shape';
import { toOnnxBytes } from '../engine/onnx/serialize';
import { PARAMS_INLINE_LIMIT, type OnnxRequest, type PointRequest, type WebGpuProbe } from './api';

const webGpuPresent =
  typeof navigator !== 'undefined' && 'gpu' in navigator && typeof GPUDevice !== 'undefined';
if (webGpuPresent) installTracer();
const capture = installConsoleTap();

/** Where the app serves ORT's wasm files (see vite.config.ts). */
const ORT_WASM_PATHS = `${self.location.origin}${import.meta.env.BASE_URL}ort/`;

export interface WebGpuProbeDetail extends WebGpuProbe {
  secureContext: boolean;
  crossOriginIsolated: boolean;
  info?: { vendor: string; architecture: string; device: string; description: string };
  limits?: DeviceLimits;
  features?: string[];
}

let lastTrace: RawTrace | undefined;
let runtime: MeasureRuntime | undefined;

async function probeWebGpu(): Promise<WebGpuProbeDetail> {
  const base = { secureContext: self.isSecureContext, crossOriginIsolated: self.crossOriginIsolated };
  if (!self.isSecureContext)
    return { ...base, available: false, reason: 'WebGPU needs a secure context (https or localhost)' };
  if (!webGpuPresent)
    return { ...base, available: false, reason: 'This browser has no WebGPU (navigator.gpu is missing)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (e) {
    return { ...base, available: false, reason: `requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter)
    return { ...base, available: false, reason: 'WebGPU is present but no GPU adapter is available' };
  const i = adapter.info;
  // isFallbackAdapter moved from the adapter to its info; older browsers have only the former.
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  const fallback = Boolean(i.isFallbackAdapter ?? legacy.isFallbackAdapter);
  const info = {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
  };
  return {
    ...base,
    available: true,
    fallback,
    adapter: [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unknown adapter',
    info,
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
    features: [...adapter.features].map(String).sort(),
  };
}

function measuringRuntime(): MeasureRuntime {
  runtime ??= new MeasureRuntime({ capture, onTrace: (t) => (lastTrace = t) });
  return runtime;
}

async function measureStep(req: MeasureRequest): Promise<MeasureResult> {
  return measuringRuntime().measureStep({ ...req, wasmPaths: req.wasmPaths ?? ORT_WASM_PATHS });
}

/** Plans every point before it runs (one planner per allocator, each caching its plans). */
const planners = new Map<Allocator, SweepPlanner>();
const plannerFor = (allocator: Allocator): SweepPlanner => {
  let planner = planners.get(allocator);
  if (!planner) planners.set(allocator, (planner = sweepPlanner(allocator)));
  return planner;
};

const api = {
  probeWebGpu,
  measureStep,
  /** Builds the point's training step, measures it and returns a report Point (never rejects). */
  measurePoint: async (req: PointRequest): Promise<Point> => {
    let limits;
    let device;
    try {
      const { summary } = await measuringRuntime().device();
      limits = summary.limits;
      device = { features: summary.features, adapter: summary.adapter };
    } catch {
      limits = undefined; // no device: the step itself will report why
    }
    return measurePoint(
      req,
      { measureStep, resetDevice: () => runtime?.releaseDevice() },
      {
        // measurePoint refuses an unknown allocator before planning; no planner is made for one.
        ...((ALLOCATORS as readonly string[]).includes(req.allocator)
          ? { planner: plannerFor(req.allocator) }
          : {}),
        limits,
        device,
      },
    );
  },
  /** The ONNX model of a step (no GPU needed): parameters inline unless they are too big. */
  onnxModel: async ({ spec, batch }: OnnxRequest): Promise<Uint8Array> => {
    const graph = buildTrainingGraph(spec);
    const paramBytes = graph.params.reduce(
      (n, p) => n + tensorBytes(graph.info(p).shape, graph.info(p).dtype, 1),
      0,
    );
    const paramsAsInputs = paramBytes > PARAMS_INLINE_LIMIT;
    return toOnnxBytes(graph, {
      batch,
      paramsAsInputs,
      paramValues: paramsAsInputs ? undefined : initParams(graph),
    });
  },
  /** Destroys the worker's GPU device (the next measurement requests a new one). */
  releaseDevice: async (): Promise<void> => runtime?.releaseDevice(),
  /** The raw trace and profile of the last measurement, for debugging and fixtures. */
  lastTrace: async (): Promise<RawTrace | undefined> => lastTrace,
};

export type MeasureWorkerApi = typeof api;

expose(api);
