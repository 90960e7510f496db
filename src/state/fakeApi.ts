/**
 * A deterministic stand-in for the measuring worker: plausible attention ops and byte counts computed from
 * the shapes, no GPU. For unit tests and for previewing the UI; never used by the real page.
 */
import type { OpRecord, Point } from '../engine/report/schema';
import { unmeasuredPoint } from '../engine/report/points';
import type { Phase } from '../engine/vocabulary';
import type { HeadroomApi, PointRequest, WebGpuProbe, OnnxRequest } from '../worker/api';

export interface FakeApiOptions {
  probe?: WebGpuProbe;
  /** Milliseconds each point takes. */
  delayMs?: number;
  /** Points for which measurePoint returns an error Point. */
  fail?: (req: PointRequest) => boolean;
  /** Requests that never finish by themselves (only abandon() ends them). */
  hang?: (req: PointRequest) => boolean;
  /** Requests the worker skips, as over the device's buffer limits (planned, not run). */
  skip?: (req: PointRequest) => boolean;
  /** The step time each measured point reports (default 1 + batch ms). */
  stepMs?: (req: PointRequest) => number;
}

export interface FakeApi extends HeadroomApi {
  /** Every request, in the order it arrived. */
  calls: PointRequest[];
  /** How many times dispose() was called. */
  disposed: number;
  /** Every ONNX model asked for. */
  onnxCalls: OnnxRequest[];
}

const F32 = 4;

interface OpSpec {
  node: string;
  opType: string;
  phase: Phase;
  scope: string;
  shape: number[];
  /** How many earlier outputs this op frees. */
  frees?: number;
}

function opSpecs(
  { seq: T, embd: C, heads: H }: { seq: number; embd: number; heads: number },
  B: number,
  strategy: string,
): OpSpec[] {
  const D = C / H;
  const att = 'block0/attention';
  const heads = [B, H, T, D];
  const scores = [B, H, T, T];
  const specs: OpSpec[] = [
    { node: 'qkv', opType: 'MatMul', phase: 'forward', scope: att, shape: [B, T, 3 * C] },
    { node: 'split', opType: 'Split', phase: 'forward', scope: att, shape: [B, T, C] },
  ];
  if (strategy === 'copy') {
    specs.push(
      { node: 'q_perm', opType: 'Transpose', phase: 'forward', scope: att, shape: heads },
      { node: 'k_perm', opType: 'Transpose', phase: 'forward', scope: att, shape: heads },
      { node: 'v_perm', opType: 'Transpose', phase: 'forward', scope: att, shape: heads },
      { node: 'kT', opType: 'Transpose', phase: 'forward', scope: att, shape: [B, H, D, T] },
    );
  }
  specs.push(
    {
      node: 'scores',
      opType: strategy === 'copy' ? 'MatMul' : 'Einsum',
      phase: 'forward',
      scope: att,
      shape: scores,
    },
    { node: 'scale', opType: 'Mul', phase: 'forward', scope: att, shape: scores },
    { node: 'mask', opType: 'Where', phase: 'forward', scope: att, shape: scores },
    { node: 'softmax', opType: 'Softmax', phase: 'forward', scope: att, shape: scores },
    {
      node: 'context',
      opType: strategy === 'copy' ? 'MatMul' : 'Einsum',
      phase: 'forward',
      scope: att,
      shape: heads,
    },
  );
  if (strategy === 'copy') {
    specs.push({ node: 'merge', opType: 'Transpose', phase: 'forward', scope: att, shape: [B, T, H, D] });
  }
  specs.push(
    { node: 'proj', opType: 'MatMul', phase: 'forward', scope: att, shape: [B, T, C] },
    { node: 'loss', opType: 'ReduceMean', phase: 'forward', scope: 'loss', shape: [] },
    { node: 'proj_grad', opType: 'MatMul', phase: 'backward', scope: att, shape: [B, T, C], frees: 1 },
    { node: 'softmax_grad', opType: 'Mul', phase: 'backward', scope: att, shape: scores, frees: 2 },
    { node: 'scores_grad', opType: 'MatMul', phase: 'backward', scope: att, shape: heads, frees: 3 },
    { node: 'qkv_grad', opType: 'MatMul', phase: 'backward', scope: att, shape: [B, T, 3 * C], frees: 4 },
    {
      node: 'weight_grad',
      opType: 'MatMul',
      phase: 'backward',
      scope: 'block0/mlp',
      shape: [C, C],
      frees: 2,
    },
  );
  return specs;
}

export function fakePoint(req: PointRequest): Point {
  const { batch } = req;
  const { model: config, strategy, retention } = req.spec;
  const live: number[] = [];
  let liveBytes = 0;
  let peak = 0;
  const ops: OpRecord[] = opSpecs(config, batch, strategy).map((s) => {
    const bytes = s.shape.reduce((n, d) => n * d, 1) * F32;
    let freedBytes = 0;
    for (let i = 0; i < (s.frees ?? 0) && live.length > 0; i++) freedBytes += live.shift() ?? 0;
    live.push(bytes);
    liveBytes += bytes - freedBytes;
    peak = Math.max(peak, liveBytes);
    return {
      node: s.node,
      opType: s.opType,
      phase: s.phase,
      scope: s.scope,
      allocBytes: bytes,
      freedBytes,
      liveBytesAfter: liveBytes,
      outputs: [{ name: `${s.node}_out`, shape: s.shape, dtype: 'float32', bytes }],
      gpuMs: null,
    };
  });
  return {
    strategy,
    retention,
    batch,
    predicted: null,
    measured: {
      peakLiveBytes: peak,
      peakReservedBytes: Math.ceil((peak * 1.25) / 1024) * 1024,
      unattributedBytes: 0,
      stepMs: 1 + batch,
      loss: 4.2,
      ops,
    },
    error: null,
  };
}

const idOf = (req: PointRequest) => ({
  strategy: req.spec.strategy,
  retention: req.spec.retention,
  batch: req.batch,
});

export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const calls: PointRequest[] = [];
  let abandonInFlight: (() => void) | null = null;
  const api: FakeApi = {
    calls,
    disposed: 0,
    onnxCalls: [],
    async onnxModel(req) {
      api.onnxCalls.push(req);
      // Not a model: the bytes say which step was asked for (the worker serialises the real one).
      return new TextEncoder().encode(`${req.spec.strategy}/${req.spec.retention}@${req.batch}`);
    },
    dispose() {
      api.disposed++;
    },
    abandon() {
      abandonInFlight?.();
    },
    async probeWebGpu() {
      return options.probe ?? { available: true, adapter: 'Fake adapter' };
    },
    async measurePoint(req) {
      calls.push(req);
      if (options.hang?.(req)) {
        // Runs until abandoned, like a step whose shaders take minutes to compile.
        await new Promise<void>((resolve) => (abandonInFlight = resolve));
        abandonInFlight = null;
        return unmeasuredPoint(idOf(req), 'cancelled', 'abandoned while it ran');
      }
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.skip?.(req)) {
        return unmeasuredPoint(idOf(req), 'over-limit', "largest tensor exceeds the device's maxBufferSize");
      }
      if (options.fail?.(req)) {
        return unmeasuredPoint(
          idOf(req),
          'oom',
          `out of memory at ${req.spec.strategy} @ batch ${req.batch}`,
        );
      }
      return {
        ...fakePoint(req),
        ...(options.stepMs ? { measured: { ...fakePoint(req).measured!, stepMs: options.stepMs(req) } } : {}),
      };
    },
  };
  return api;
}
