/**
 * Test support: small, valid reports built by hand (no planner, no GPU), with planned and measured
 * op lists whose byte counts add up as the format says (docs/report-format.md, "Op records").
 */
import { createReport, type Report } from '../report/report';
import type { OpRecord, Point } from '../report/schema';

/** Bytes live before the first op: parameters and constants. */
const BASE = 16_896;

interface OpSpec {
  node: string;
  opType: string;
  phase: OpRecord['phase'];
  scope: string;
  /** Output shapes (float32); the first dimension is the batch. */
  shapes: number[][];
  /** Bytes freed after the op, as a fraction of the bytes live above BASE (0..1). */
  free?: number;
}

const STEP: OpSpec[] = [
  { node: 'input', opType: 'Input', phase: 'forward', scope: 'input', shapes: [[0, 16, 32]] },
  {
    node: 'block0/attention/c_attn/MatMul',
    opType: 'MatMul',
    phase: 'forward',
    scope: 'block0/attention/c_attn',
    shapes: [[0, 16, 96]],
  },
  {
    node: 'block0/attention/softmax',
    opType: 'Softmax',
    phase: 'forward',
    scope: 'block0/attention',
    shapes: [[0, 4, 16, 16]],
  },
  {
    node: 'loss/ReduceMean',
    opType: 'ReduceMean',
    phase: 'forward',
    scope: 'loss',
    shapes: [[]],
    free: 0.25,
  },
  {
    node: 'block0/attention/softmax.grad.ReduceSum',
    opType: 'ReduceSum',
    phase: 'backward',
    scope: 'block0/attention',
    shapes: [[0, 4, 16, 1]],
    free: 0.5,
  },
];

/** The op records of one step at `batch`, node names renamed by `rename`; and its peak. */
export function sampleOps(
  batch: number,
  { gpu = false, rename = (n: string) => n }: { gpu?: boolean; rename?: (node: string) => string } = {},
): { ops: OpRecord[]; peak: number; peakNode: string } {
  let live = BASE;
  let peak = 0;
  let peakNode = '';
  const ops = STEP.map((s, i): OpRecord => {
    const outputs = s.shapes.map((shape) => {
      const dims = shape.map((d, k) => (k === 0 ? batch : d));
      return {
        name: rename(s.node),
        shape: dims,
        dtype: 'float' as const,
        bytes: 4 * dims.reduce((a, b) => a * b, 1),
      };
    });
    const allocBytes = outputs.reduce((n, o) => n + o.bytes, 0);
    if (live + allocBytes > peak) {
      peak = live + allocBytes;
      peakNode = rename(s.node);
    }
    const freedBytes = Math.floor(((live + allocBytes - BASE) * (s.free ?? 0)) / 16) * 16;
    live += allocBytes - freedBytes;
    return {
      node: rename(s.node),
      opType: s.opType,
      phase: s.phase,
      scope: s.scope,
      allocBytes,
      freedBytes,
      liveBytesAfter: live,
      outputs,
      gpuMs: gpu && i > 0 ? 0.125 * (i + 1) : null,
    };
  });
  return { ops, peak, peakNode };
}

/** A planned and measured point (measured peaks: planned, reserved a quarter more). */
export function samplePoint(
  strategy: Point['strategy'],
  retention: Point['retention'],
  batch: number,
  {
    measured = true,
    gpu = true,
    rename,
  }: { measured?: boolean; gpu?: boolean; rename?: (n: string) => string } = {},
): Point {
  const plan = sampleOps(batch, { rename });
  const run = sampleOps(batch, { gpu, rename });
  return {
    strategy,
    retention,
    batch,
    predicted: {
      peakBytes: plan.peak,
      peakNode: plan.peakNode,
      floorBytes: BASE + 4096 * batch,
      byCategory: {
        parameter: BASE,
        constant: 0,
        input: 0,
        activation: 0,
        temporary: plan.peak - BASE,
        'optimizer state': 0,
        gradient: 0,
        output: 0,
      },
      byScope: { attention: plan.peak - BASE, other: BASE },
      ops: plan.ops,
    },
    measured: measured
      ? {
          peakLiveBytes: run.peak,
          peakReservedBytes: Math.round(run.peak * 1.25),
          unattributedBytes: 0,
          nonTensorBytes: 1024,
          stepMs: 12.5 * batch,
          loss: -0.25,
          ops: run.ops,
        }
      : null,
    error: null,
  };
}

/**
 * An attention-only tiny model (1 layer) with: view/minimal at batch 2 and 4 measured, fused/minimal
 * at 2 planned then out of memory, copy/tape at 2 neither planned nor run.
 */
export function sampleReport(
  opts: { measured?: boolean; rename?: (n: string) => string; maxBatch?: boolean } = {},
): Report {
  const measured = opts.measured ?? true;
  const fused = samplePoint('fused', 'minimal', 2, { measured: false, rename: opts.rename });
  return createReport({
    device: measured
      ? {
          adapter: 'google swiftshader',
          vendor: 'google',
          architecture: 'swiftshader',
          limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
        }
      : null,
    model: {
      preset: 'tiny',
      vocab: null,
      seq: 16,
      embd: 32,
      heads: 4,
      layers: 1,
      mlpRatio: null,
      activation: null,
      attentionOnly: true,
    },
    dtype: 'f32',
    allocator: 'lazy',
    chunk: 64,
    points: [
      samplePoint('view', 'minimal', 2, { measured, rename: opts.rename }),
      samplePoint('view', 'minimal', 4, { measured, rename: opts.rename }),
      measured
        ? { ...fused, error: { code: 'oom', message: 'session: Failed to create GPU buffer' } }
        : fused,
      {
        strategy: 'copy',
        retention: 'tape',
        batch: 2,
        predicted: null,
        measured: null,
        error: { code: 'invalid-config', message: 'embedding size 30 is not divisible by 4 heads' },
      },
    ],
    maxBatch: opts.maxBatch
      ? [
          { strategy: 'view', retention: 'minimal', budgetBytes: 2 ** 20, batch: 57, limitedBy: 'budget' },
          { strategy: 'fused', retention: 'minimal', budgetBytes: 2 ** 20, batch: 60, limitedBy: 'budget' },
        ]
      : [],
    createdAt: new Date('2026-12-02T00:58:39.018Z'),
  });
}
