/**
 * Small hand-made inputs for the views: planned curves, one step, a comparison. The tests use
 * them, and so can anyone rendering the views by hand.
 */
import type {
  Combo,
  Comparison,
  Curve,
  CurvePoint,
  StepDetail,
  TimelineRow,
} from '../../engine/explore/types';
import { CATEGORIES, type Category, type Phase } from '../../engine/vocabulary';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** The budget the fixture curves are planned against: 6 GiB. */
export const FIXTURE_BUDGET = 6 * GiB;

const BATCHES = [1, 2, 4, 8, 16, 32, 64, 96, 128, 160, 192, 256];

/** A straight curve: `fixed + perSample × batch`, floor `floorFixed + floorPer × batch`. */
function line(
  combo: Combo,
  fixed: number,
  perSample: number,
  limit: { maxBatch: number; tensor: string; bytesPerSample: number } | null,
): Curve {
  const points: CurvePoint[] = BATCHES.map((batch) => ({
    batch,
    peakBytes: fixed + perSample * batch,
    reservedBytes: Math.round((fixed + perSample * batch) * 1.25),
    floorBytes: 400 * MiB + MiB * batch,
    largestBufferBytes: (limit?.bytesPerSample ?? 8 * MiB) * batch,
  }));
  const budgetMaxBatch = Math.max(0, Math.floor((FIXTURE_BUDGET - fixed) / perSample));
  const limitMaxBatch = limit?.maxBatch ?? 2 ** 20;
  return {
    combo,
    points,
    reservedPoints: points.length,
    budgetMaxBatch,
    limitMaxBatch,
    limitTensor: limit
      ? {
          tensor: limit.tensor,
          bytes: limit.bytesPerSample * (limit.maxBatch + 1),
          limit: 'maxStorageBufferBindingSize',
          limitBytes: 128 * MiB,
        }
      : null,
    maxBatch: Math.min(budgetMaxBatch, limitMaxBatch),
    binds: limitMaxBatch < budgetMaxBatch ? 'buffer-limit' : 'budget',
    planMs: 12.5,
  };
}

const scores = { tensor: 'blocks.0.attn.scores', bytesPerSample: 1.5 * MiB };

/**
 * Five combos: copy/minimal and view/minimal coincide; copy/tape is over budget at batch 64;
 * chunked/checkpoint is bound by the buffer limit; fused/minimal fits far.
 */
export const FIXTURE_CURVES: Curve[] = [
  line({ strategy: 'copy', retention: 'minimal' }, 600 * MiB, 36 * MiB, { ...scores, maxBatch: 85 }),
  line({ strategy: 'view', retention: 'minimal' }, 600 * MiB, 36 * MiB, { ...scores, maxBatch: 85 }),
  line({ strategy: 'copy', retention: 'tape' }, 700 * MiB, 112 * MiB, { ...scores, maxBatch: 85 }),
  line({ strategy: 'fused', retention: 'minimal' }, 500 * MiB, 26 * MiB, null),
  line({ strategy: 'chunked', retention: 'checkpoint' }, 500 * MiB, 20 * MiB, {
    tensor: 'blocks.0.attn.chunk0.scores',
    bytesPerSample: 0.5 * MiB,
    maxBatch: 255,
  }),
];

/** One step's nodes: name, op, phase, scope, then live MiB per category (CATEGORIES order) while it runs. */
const STEP: [string, string, Phase, string, number[]][] = [
  ['input', 'Input', 'forward', '', [100, 1, 4, 0, 0, 0, 0]],
  ['block0/attention/qkv', 'MatMul', 'forward', 'block0/attention/qkv', [100, 1, 4, 48, 0, 0, 0]],
  ['block0/attention/transpose', 'Transpose', 'forward', 'block0/attention', [100, 1, 4, 48, 16, 0, 0]],
  ['block0/attention/scores', 'MatMul', 'forward', 'block0/attention/scores', [100, 1, 4, 112, 16, 0, 0]],
  ['block0/attention/softmax', 'Softmax', 'forward', 'block0/attention', [100, 1, 4, 176, 0, 0, 0]],
  ['block0/mlp/fc', 'MatMul', 'forward', 'block0/mlp', [100, 1, 4, 208, 0, 0, 0]],
  ['loss', 'SoftmaxCrossEntropyLoss', 'forward', 'loss', [100, 1, 4, 208, 0, 0, 1]],
  ['block0/mlp/fc_grad', 'MatMul', 'backward', 'block0/mlp', [100, 1, 4, 176, 32, 20, 1]],
  [
    'block0/attention/softmax_grad',
    'SoftmaxGrad',
    'backward',
    'block0/attention',
    [100, 1, 4, 176, 96, 20, 1],
  ],
  [
    'block0/attention/scores_re',
    'MatMul',
    'recompute',
    'block0/attention/scores',
    [100, 1, 4, 112, 80, 20, 1],
  ],
  ['block0/attention/qkv_grad', 'MatMul', 'backward', 'block0/attention/qkv', [100, 1, 4, 0, 32, 80, 1]],
  ['block0/attention/transpose_grad', 'Transpose', 'backward', 'block0/attention', [100, 1, 4, 0, 0, 100, 1]],
];

function timelineOf(steps: typeof STEP): TimelineRow[] {
  let before = 0;
  return steps.map(([node, opType, phase, scope, mib], step) => {
    const liveByCategory = mib.map((m) => m * MiB);
    const liveBytes = liveByCategory.reduce((a, b) => a + b, 0);
    const next = steps[step + 1]?.[4].reduce((a, b) => a + b, 0);
    const after = next === undefined ? liveBytes : Math.min(liveBytes, next * MiB);
    const row: TimelineRow = {
      step,
      node,
      opType,
      phase,
      scope,
      allocBytes: Math.max(0, liveBytes - before),
      freedBytes: liveBytes - after,
      liveBytesAfter: after,
      outputs: [{ name: `${node}:0`, shape: [4, 256, 1024], dtype: 'float32', bytes: 4 * MiB }],
      gpuMs: null,
      liveByCategory,
      liveBytes,
    };
    before = after;
    return row;
  });
}

const TIMELINE = timelineOf(STEP);
const PEAK_STEP = 8;

const byCategory = Object.fromEntries(
  CATEGORIES.map((c, i) => [c, TIMELINE[PEAK_STEP]?.liveByCategory[i] ?? 0]),
) as Record<Category, number>;

const tensor = (
  name: string,
  producer: string,
  opType: string,
  scope: string,
  category: Category,
  mib: number,
  from: string,
  until: string,
) => ({
  tensor: name,
  producer,
  opType,
  scope,
  category,
  shape: [mib, 256, 1024],
  dtype: 'float32',
  bytes: mib * MiB,
  from,
  until,
});

/** A step of copy/tape at batch 4 whose peak (398 MiB) is at block0/attention/softmax_grad. */
export const FIXTURE_STEP: StepDetail = {
  combo: { strategy: 'copy', retention: 'tape' },
  batch: 4,
  peakBytes: 398 * MiB,
  peakStep: PEAK_STEP,
  peakNode: 'block0/attention/softmax_grad',
  floorBytes: 105 * MiB,
  reservedPeakBytes: 420 * MiB,
  byCategory,
  byScope: { attention: 240 * MiB, other: 158 * MiB },
  timeline: TIMELINE,
  atPeak: [
    tensor('wte', 'initializer', '', '', 'parameter', 60, 'initializer', 'end'),
    tensor('blocks.0.attn.w', 'initializer', '', '', 'parameter', 24, 'initializer', 'end'),
    tensor('blocks.0.mlp.w', 'initializer', '', '', 'parameter', 16, 'initializer', 'end'),
    tensor('mask', 'initializer', '', '', 'constant', 1, 'initializer', 'end'),
    tensor('ids', 'input', 'Input', '', 'input', 4, 'input', 'end'),
    tensor(
      'qkv',
      'block0/attention/qkv',
      'MatMul',
      'block0/attention/qkv',
      'activation',
      48,
      'block0/attention/qkv',
      'block0/attention/qkv_grad',
    ),
    tensor(
      'scores',
      'block0/attention/scores',
      'MatMul',
      'block0/attention/scores',
      'activation',
      64,
      'block0/attention/scores',
      'block0/attention/softmax_grad',
    ),
    tensor(
      'probs',
      'block0/attention/softmax',
      'Softmax',
      'block0/attention',
      'activation',
      64,
      'block0/attention/softmax',
      'block0/attention/softmax_grad',
    ),
    tensor(
      'grad/scores',
      'block0/attention/softmax_grad',
      'SoftmaxGrad',
      'block0/attention',
      'temporary',
      64,
      'block0/attention/softmax_grad',
      'block0/attention/scores_re',
    ),
    tensor(
      'grad/fc',
      'block0/mlp/fc_grad',
      'MatMul',
      'block0/mlp',
      'temporary',
      32,
      'block0/mlp/fc_grad',
      'block0/attention/qkv_grad',
    ),
    tensor(
      'grad/wte',
      'block0/mlp/fc_grad',
      'MatMul',
      'block0/mlp',
      'gradient',
      20,
      'block0/mlp/fc_grad',
      'end',
    ),
    tensor('loss', 'loss', 'SoftmaxCrossEntropyLoss', 'loss', 'output', 1, 'loss', 'end'),
  ],
};

/** A long made-up timeline (n rows) with one spike at `peakAt`, for downsampling. */
export function syntheticTimeline(n: number, peakAt: number): StepDetail {
  const phases: Phase[] = ['forward', 'backward', 'recompute'];
  const timeline: TimelineRow[] = Array.from({ length: n }, (_, step) => {
    const wave = Math.round((1 + Math.sin(step / 7)) * 10 * MiB) + (step === peakAt ? 500 * MiB : 0);
    const liveByCategory = [100 * MiB, 0, MiB, wave, step % 3 === 0 ? MiB : 0, 0, 0];
    const liveBytes = liveByCategory.reduce((a, b) => a + b, 0);
    return {
      step,
      node: `n${step}`,
      opType: step % 5 === 0 ? 'Transpose' : 'MatMul',
      phase: phases[Math.floor((step / n) * 2.2)] ?? 'backward',
      scope: step % 2 ? `block${step % 12}/attention` : `block${step % 12}/mlp`,
      allocBytes: MiB,
      freedBytes: MiB,
      liveBytesAfter: liveBytes,
      outputs: [],
      gpuMs: null,
      liveByCategory,
      liveBytes,
    };
  });
  const peak = timeline[peakAt] as TimelineRow;
  return {
    ...FIXTURE_STEP,
    peakBytes: peak.liveBytes,
    peakStep: peakAt,
    peakNode: peak.node,
    timeline,
    atPeak: [],
  };
}

/** copy/tape against view/minimal at batch 64: one node only in A, one only in B. */
export const FIXTURE_COMPARISON: Comparison = {
  a: { combo: { strategy: 'copy', retention: 'tape' }, batch: 64, peakBytes: 7.9 * GiB },
  b: { combo: { strategy: 'view', retention: 'minimal' }, batch: 64, peakBytes: 3.1 * GiB },
  rows: [
    {
      node: 'block0/attention/qkv',
      opType: 'MatMul',
      scope: 'block0/attention/qkv',
      phase: 'forward',
      a: { allocBytes: 768 * MiB, heldAtPeak: 768 * MiB },
      b: { allocBytes: 768 * MiB, heldAtPeak: 0 },
    },
    {
      node: 'block0/attention/transpose_q',
      opType: 'Transpose',
      scope: 'block0/attention',
      phase: 'forward',
      a: { allocBytes: 256 * MiB, heldAtPeak: 256 * MiB },
      b: null,
    },
    {
      node: 'block0/attention/transpose_k',
      opType: 'Transpose',
      scope: 'block0/attention',
      phase: 'forward',
      a: { allocBytes: 256 * MiB, heldAtPeak: 256 * MiB },
      b: { allocBytes: 0, heldAtPeak: 0 },
    },
    {
      node: 'block0/attention/scores',
      opType: 'MatMul',
      scope: 'block0/attention/scores',
      phase: 'forward',
      a: { allocBytes: GiB, heldAtPeak: GiB },
      b: { allocBytes: GiB, heldAtPeak: 0 },
    },
    {
      node: 'block0/attention/view_q',
      opType: 'Reshape',
      scope: 'block0/attention',
      phase: 'forward',
      a: null,
      b: { allocBytes: 0, heldAtPeak: 0 },
    },
    {
      node: 'block0/mlp/fc',
      opType: 'MatMul',
      scope: 'block0/mlp',
      phase: 'forward',
      a: { allocBytes: 512 * MiB, heldAtPeak: 512 * MiB },
      b: { allocBytes: 512 * MiB, heldAtPeak: 512 * MiB },
    },
  ],
  summary:
    'copy/tape holds 4.80 GiB more than view/minimal at the peak of batch 64; 2 Transposes allocate 512 MiB',
};
