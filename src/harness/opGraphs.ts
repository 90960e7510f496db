/**
 * Small f32 training graphs, one per nanoGPT op module (embedding, layer norm, GELU, ReLU,
 * cross-entropy, their helpers, and all of them composed), for e2e/ops-webgpu.spec.ts: each is
 * run through the measuring worker on WebGPU (CPU fallback disabled, so every forward and
 * backward node must have a WebGPU kernel) and, for the expected values, on onnxruntime-web's CPU
 * (wasm) backend in the page, from the same model bytes and feeds.
 */
import type * as Ort from 'onnxruntime-web';
import { appendBackward } from '../engine/autodiff/backward';
import { Graph } from '../engine/graph/graph';
import { numel, resolveShape } from '../engine/graph/shape';
import type { Shape } from '../engine/graph/types';
import { rng } from '../engine/models/init';
import { toOnnxBytes } from '../engine/onnx/serialize';
import { crossEntropy } from '../engine/ops/crossEntropy';
import { div } from '../engine/ops/div';
import { exp } from '../engine/ops/exp';
import { embedding } from '../engine/ops/gather';
import { gelu } from '../engine/ops/gelu';
import { layerNorm } from '../engine/ops/layerNorm';
import { log } from '../engine/ops/log';
import { matmul } from '../engine/ops/matmul';
import { mul } from '../engine/ops/mul';
import { reduceSum } from '../engine/ops/reduceSum';
import { relu } from '../engine/ops/relu';
import { scatterElements } from '../engine/ops/scatterElements';
import type { Feed, MeasureRequest, MeasureResult } from '../engine/runtime/types';

const BATCH = 2;
const T = 5;
const V = 7;
const C = 8;

interface Spec {
  /** Differentiated: params (initializers) and float inputs (feeds). */
  params?: Record<string, Shape>;
  inputs?: Record<string, Shape>;
  /** int64 inputs and their values at BATCH. */
  ids?: Record<string, { shape: Shape; values: number[] }>;
  /** Positive float inputs (for Log). */
  positive?: string[];
  /** The op under test; its output is weighted into the loss unless `isLoss`. */
  build(g: Graph, t: Record<string, string>): string;
  isLoss?: boolean;
}

// Repeated ids on purpose: the embedding gradient must accumulate them.
const TOKENS = [3, 1, 3, 3, 0, 6, 1, 1, 3, 5];
const TARGETS = [1, 3, 0, 6, 6, 2, 2, 5, 0, 3];

const SPECS: Record<string, Spec> = {
  embedding: {
    params: { wte: [V, C] },
    ids: { tokens: { shape: ['B', T], values: TOKENS } },
    build: (g, t) => embedding(g, t.wte!, t.tokens!),
  },
  layerNorm: {
    params: { gamma: [C], beta: [C] },
    inputs: { x: ['B', T, C] },
    build: (g, t) => layerNorm(g, t.x!, t.gamma!, t.beta!),
  },
  gelu: { inputs: { x: ['B', T, C] }, build: (g, t) => gelu(g, t.x!) },
  relu: { inputs: { x: ['B', T, C] }, build: (g, t) => relu(g, t.x!) },
  crossEntropy: {
    inputs: { logits: ['B', T, V] },
    ids: { targets: { shape: ['B', T], values: TARGETS } },
    build: (g, t) => crossEntropy(g, t.logits!, t.targets!),
    isLoss: true,
  },
  /** Exp, Log and Div with both operands differentiated. */
  elementwise: {
    inputs: { a: ['B', T, C], b: ['B', T, 1] },
    positive: ['b'],
    build: (g, t) => div(g, exp(g, t.a!), log(g, mul(g, t.b!, g.scalar('f32', 3)))),
  },
  /** ScatterElements' own gradients (it is otherwise emitted only as GatherElements' gradient). */
  scatterElements: {
    params: { data: ['B', T, V] },
    inputs: { updates: ['B', T, 2] },
    ids: { idx: { shape: ['B', T, 2], values: [...TOKENS, ...TARGETS] } },
    build: (g, t) => scatterElements(g, t.data!, t.idx!, t.updates!, -1, 'add'),
  },
  /** A token-to-loss chain: embedding -> layer norm -> Linear -> GELU -> ReLU -> cross-entropy. */
  composed: {
    params: { wte: [V, C], gamma: [C], beta: [C], head: [C, V] },
    ids: { tokens: { shape: ['B', T], values: TOKENS }, targets: { shape: ['B', T], values: TARGETS } },
    build: (g, t) => {
      const h = layerNorm(g, embedding(g, t.wte!, t.tokens!), t.gamma!, t.beta!);
      return crossEntropy(g, relu(g, gelu(g, matmul(g, h, t.head!))), t.targets!);
    },
    isLoss: true,
  },
};

export const OP_GRAPHS = Object.keys(SPECS);

export interface OpGraph {
  graph: Graph;
  request: MeasureRequest;
}

/** Builds the named case's training step at BATCH, with seeded values. */
export function buildOpGraph(name: string): OpGraph {
  const spec = SPECS[name];
  if (!spec) throw new Error(`unknown op graph ${name}; have ${OP_GRAPHS.join(', ')}`);
  const g = new Graph();
  const next = rng(17);
  const uniform = (shape: Shape, lo = -1, hi = 1) =>
    Float32Array.from({ length: numel(shape, BATCH) }, () => lo + (hi - lo) * next());
  const t: Record<string, string> = {};
  const paramValues = new Map<string, Float32Array>();
  const feeds: Record<string, Feed> = {};
  for (const [n, shape] of Object.entries(spec.params ?? {})) {
    t[n] = g.param(n, shape, 'f32');
    paramValues.set(n, uniform(shape));
  }
  for (const [n, shape] of Object.entries(spec.inputs ?? {})) {
    t[n] = g.input(n, shape, 'f32');
    const data = spec.positive?.includes(n) ? uniform(shape, 0.5, 2) : uniform(shape, -2, 2);
    feeds[n] = { type: 'float32', dims: resolveShape(shape, BATCH), data };
  }
  for (const [n, { shape, values }] of Object.entries(spec.ids ?? {})) {
    t[n] = g.input(n, shape, 'i64');
    feeds[n] = { type: 'int64', dims: resolveShape(shape, BATCH), data: BigInt64Array.from(values, BigInt) };
  }
  const wrt = [...g.params, ...g.inputs.filter((n) => g.info(n).dtype === 'f32')];
  let loss = spec.build(g, t);
  if (!spec.isLoss) {
    const shape = g.info(loss).shape;
    const r = rng(99);
    const weights = Array.from({ length: numel(shape, BATCH) }, () => 2 * r() - 1);
    const R = g.constant('f32', shape, { kind: 'floats', values: () => weights }, 'loss_weights');
    loss = reduceSum(g, mul(g, loss, R), [...shape.keys()], false);
  }
  g.rename(loss, 'loss');
  appendBackward(g, 'loss', wrt);
  const nodes = g.nodes.map((n) => ({
    name: n.name,
    opType: n.opType,
    phase: n.phase,
    scope: n.scope,
    outputs: [...n.outputs],
  }));
  const model = toOnnxBytes(g, { batch: BATCH, paramValues });
  return { graph: g, request: { model, feeds, nodes, cacheMode: 'lazyRelease' } };
}

export interface OpGraphRun {
  name: string;
  /** Op types of the graph's nodes, by phase. */
  forwardOps: string[];
  backwardOps: string[];
  /** Op types of the nodes the WebGPU run executed (from its profile). */
  ranOps: string[];
  /** Outputs (loss, grad/...) from WebGPU, and from the CPU backend on the same model and feeds. */
  gpu: Record<string, number[]>;
  cpu: Record<string, number[]>;
  peakLiveBytes: number;
  stepMs: number;
  sessionMs: number;
  notes: string[];
}

type OrtModule = typeof Ort;
let cpuOrt: Promise<OrtModule> | undefined;

/** onnxruntime-web in the page, CPU (wasm) backend only, from the app's own /ort/ files. */
function loadCpuOrt(): Promise<OrtModule> {
  cpuOrt ??= import('onnxruntime-web/webgpu').then((ort) => {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = `${self.location.origin}${import.meta.env.BASE_URL}ort/`;
    return ort;
  });
  return cpuOrt;
}

async function runOnCpu(req: MeasureRequest): Promise<Record<string, number[]>> {
  const ort = await loadCpuOrt();
  const session = await ort.InferenceSession.create(req.model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'disabled',
  });
  try {
    const feeds = Object.fromEntries(
      Object.entries(req.feeds).map(([n, f]) => [n, new ort.Tensor(f.type, f.data, f.dims)]),
    );
    const out = await session.run(feeds);
    return Object.fromEntries(
      Object.entries(out).map(([n, t]) => [n, Array.from(t.data as Float32Array, Number)]),
    );
  } finally {
    await session.release();
  }
}

const unique = (xs: string[]) => [...new Set(xs)].sort();

/** Runs the named case on WebGPU through `measureStep` and on the CPU backend in this realm. */
export async function runOpGraph(
  name: string,
  measureStep: (req: MeasureRequest) => Promise<MeasureResult>,
): Promise<OpGraphRun> {
  const { graph, request } = buildOpGraph(name);
  const r = await measureStep(request);
  const cpu = await runOnCpu(request);
  const ofPhase = (phase: string) =>
    unique(graph.nodes.filter((n) => n.phase === phase).map((n) => n.opType));
  return {
    name,
    forwardOps: ofPhase('forward'),
    backwardOps: ofPhase('backward'),
    ranOps: unique(r.ops.filter((o) => o.node !== 'input').map((o) => o.opType)),
    gpu: Object.fromEntries(Object.entries(r.outputs).map(([n, v]) => [n, Array.from(v)])),
    cpu,
    peakLiveBytes: r.peakLiveBytes,
    stepMs: r.stepMs,
    sessionMs: r.sessionMs,
    notes: r.notes,
  };
}
