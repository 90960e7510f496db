import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph';
import { add } from '../ops/add';
import { exp } from '../ops/exp';
import { expand } from '../ops/expand';
import { matmul } from '../ops/matmul';
import { mul } from '../ops/mul';
import { reduceSum } from '../ops/reduceSum';
import { reshape } from '../ops/reshape';
import { scatterElements } from '../ops/scatterElements';
import { buildTrainingGraph } from '../models/build';
import { PRESETS, type ModelConfig } from '../models/spec';
import { CATEGORIES, RETENTION_NAMES, STRATEGY_NAMES } from '../vocabulary';
import { bufferBytes } from './liveness';
import { planGraph, withAllocator } from './plan';

/**
 * x [B, 4] -> h = x W -> r = reshape(h) (alias) -> e = exp(r) -> s = ReduceSum(e, axis 1 of 3)
 * -> y = s * s (graph output). f32 throughout, W [4, 4] a parameter.
 */
function chain(): Graph {
  const g = new Graph();
  const x = g.input('x', ['B', 4], 'f32');
  const w = g.param('W', [4, 4], 'f32');
  const r = reshape(g, matmul(g, x, w, 'h'), ['B', 2, 2], 'r');
  const s = reduceSum(g, exp(g, r, 'e'), [1], false, 's');
  g.outputs.push(mul(g, s, s, 'y'));
  return g;
}

const rows = (ops: { node: string; allocBytes: number; freedBytes: number; liveBytesAfter: number }[]) =>
  ops.map((o) => [o.node, o.allocBytes, o.freedBytes, o.liveBytesAfter]);

describe('hand-worked plans of small graphs', () => {
  it('lazy: alias, reduction scratch, frees after the last reader, output kept', () => {
    // B = 2, buffers rounded to 16 bytes. W 64 resident; x 32 at "input" (live 96).
    // h 32 (128). r aliases h: nothing. e 32 (160 during), then h's last reader (via r) is e:
    // free 32 (128). s: output [2, 2] 16 + scratch (axis 1 is not innermost) transposed e 32 and
    // reduced [2, 2] 16 = 64 (192 during: the peak), then e and the scratch go: 80 (112).
    // y 16 (128 during), s freed 16 (112); y is an output: kept.
    const plan = planGraph(chain(), { allocator: 'lazy' }).at(2);
    expect(rows(plan.ops)).toEqual([
      ['input', 32, 0, 96],
      ['h', 32, 0, 128],
      ['r', 0, 0, 128],
      ['e', 32, 32, 128],
      ['s', 64, 80, 112],
      ['y', 16, 16, 112],
    ]);
    expect([plan.peakBytes, plan.peakNode]).toEqual([192, 's']);
    expect(plan.byCategory).toMatchObject({ parameter: 64, input: 32, temporary: 96, output: 0 });
    expect(plan.liveAtPeak.map((t) => [t.tensor, t.bytes, t.from, t.until])).toEqual([
      ['W', 64, 'initializer', 'end'],
      ['x', 32, 'input', 'end'],
      ['e', 32, 'e', 's'],
      ['s', 16, 's', 'y'],
      ['s#transposed input', 32, 's', 's'],
      ['s#reduced', 16, 's', 's'],
    ]);
    expect(plan.liveAtPeak.find((t) => t.tensor === 'x')?.category).toBe('input');
  });

  it('bucket: the same schedule with sizes from the bucket table (parameters stay exact)', () => {
    // Every step buffer is at most 64 bytes -> bucket 64; W is resident: 64.
    // input 64 (128), h 64 (192), e 64 (256 during, h freed: 192), s 3 x 64 (384: the peak).
    const plan = planGraph(chain(), { allocator: 'bucket' }).at(2);
    expect(rows(plan.ops)).toEqual([
      ['input', 64, 0, 128],
      ['h', 64, 0, 192],
      ['r', 0, 0, 192],
      ['e', 64, 64, 192],
      ['s', 192, 192, 192],
      ['y', 64, 64, 192],
    ]);
    expect(plan.peakBytes).toBe(384);
  });

  it('reserved: the bucket cache serves a same-size request, lazyRelease destroys at the flush', () => {
    // B = 32: x [32, 4] 512, a = exp(x) 512, b = ReduceSum(a, -1) [32] 128 (innermost: no
    // scratch), c = Expand(b as [32, 1, 1]) [32, 2, 2] 512, an output. Live peaks at b (1152) and
    // c (x + b + c = 1152). a dies after b; c has another shape, so the allocation planner does not
    // hand it a's buffer, but the bucket cache does (512 either way): reserved stays 1152. With
    // lazyRelease, a's buffer waits for the flush (after 16 dispatches; there are 3): 1664.
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    const b = reduceSum(g, exp(g, x, 'a'), [-1], false, 'b');
    g.outputs.push(expand(g, reshape(g, b, ['B', 1, 1], 'b3'), ['B', 2, 2], 'c'));
    const bucket = planGraph(g, { allocator: 'bucket' }).at(32);
    const lazy = planGraph(g, { allocator: 'lazy' }).at(32);
    expect([bucket.peakBytes, bucket.reservedPeakBytes]).toEqual([1152, 1152]);
    expect([lazy.peakBytes, lazy.reservedPeakBytes]).toEqual([1152, 1664]);
  });

  it('reserved: the allocation planner hands a freed buffer to the next tensor of its shape', () => {
    // B = 32: a = exp(x) [32, 4] 512; s = ReduceSum(a) [32] 128 (an output); a dies; c = x * x
    // [32, 4] gets a's buffer from the planner (same shape); y = ReduceSum(c) 128 (an output).
    // Live peaks at y: x + s + c + y = 1280, and nothing more was ever created: reserved 1280.
    // (Graph outputs never take a freed buffer: they are allocated apart.)
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    const s = reduceSum(g, exp(g, x, 'a'), [-1], false, 's');
    g.outputs.push(s, reduceSum(g, mul(g, x, x, 'c'), [-1], false, 'y'));
    const lazy = planGraph(g, { allocator: 'lazy' }).at(32);
    expect([lazy.peakBytes, lazy.reservedPeakBytes]).toEqual([1280, 1280]);
  });

  it('an in-place kernel (ScatterElements) writes into its data input: no allocation', () => {
    // zeros = Expand(0) [B, 4] 32 at B = 2; ScatterElements is its last user: in place; y = exp.
    const g = new Graph();
    const idx = g.input('idx', ['B', 1], 'i64');
    const upd = g.input('upd', ['B', 1], 'f32');
    const zeros = expand(g, g.scalar('f32', 0, 'zero'), ['B', 4], 'zeros');
    g.outputs.push(exp(g, scatterElements(g, zeros, idx, upd, 1, 'none', 'scatter'), 'y'));
    const plan = planGraph(g, { allocator: 'lazy' }).at(2);
    // Resident: the zero scalar (16). Inputs: idx 16, upd 8 -> 16.
    expect(rows(plan.ops)).toEqual([
      ['input', 32, 0, 48],
      ['zeros', 32, 0, 80],
      ['scatter', 0, 0, 80],
      ['y', 32, 32, 80],
    ]);
    // A graph output is never computed in place (onnxruntime allocates outputs apart).
    const h = new Graph();
    const z = expand(h, h.scalar('f32', 0, 'zero'), ['B', 4], 'zeros');
    h.outputs.push(
      scatterElements(h, z, h.input('idx', ['B', 1], 'i64'), h.input('upd', ['B', 1], 'f32'), 1, 'none', 's'),
    );
    expect(rows(planGraph(h, { allocator: 'lazy' }).at(2).ops).at(-1)).toEqual(['s', 32, 32, 80]);
  });
});

describe('bucket rounding', () => {
  it('rounds step buffers up to the bucket table, resident ones and lazy ones to 16 bytes', () => {
    const b = { perBatch: 0, fixed: 1000 };
    expect(bufferBytes(b, 1, 'bucket')).toBe(2048);
    expect(bufferBytes(b, 1, 'bucket', true)).toBe(1008);
    expect(bufferBytes(b, 1, 'lazy')).toBe(1008);
    expect(bufferBytes({ perBatch: 100, fixed: 4 }, 3, 'bucket')).toBe(512);
    expect(bufferBytes({ perBatch: 0, fixed: 167772161 }, 1, 'bucket')).toBe(167772176);
  });
});

/** The tiny attention-only step of these tests: one layer, T = 16, C = 8, H = 2 (D = 4). */
const tiny: ModelConfig = { ...PRESETS.tiny, attentionOnly: true, layers: 1, seq: 16, embd: 8, heads: 2 };
const build = (strategy: (typeof STRATEGY_NAMES)[number], retention: (typeof RETENTION_NAMES)[number]) =>
  buildTrainingGraph({
    model: tiny,
    strategy,
    retention,
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  });

describe('every strategy x retention on the tiny attention-only step, batch 2, lazy', () => {
  // Sizes at B = 2 (f32): [B, T, C] = 1024, scores [B, H, T, T] = 4096, a chunk's scores 2048,
  // a query chunk 512, c_attn output [B, T, 3C] = 3072, row sums [B, H, T, 1] = 256.
  // Parameters: c_attn W 768 + b 96, c_proj W 256 + b 32 = 1152. Constants on the GPU: copy/view
  // mask bool [16, 16] 256 + five scalars 80 = 336; chunked two masks [8, 16] 128 + 80 = 336;
  // fused causal bias f32 [1, 1, 16, 16] 1024 + three scalars 48 = 1072.
  // Every peak also holds x 1024, the loss 16 and the c_proj gradients done so far (b 32 + W 256).
  // The peak is in the softmax backward: dP (4096) and p * dP (4096) being row-summed (256).
  const cases: [string, string, number, string, string][] = [
    // copy/view minimal: 1152 + 336 + 1024 + 16 + 288, saved q 1024, k 1024, probs 4096,
    // temporaries dV 1024, dP 4096, p*dP 4096, rowsum 256: 18432.
    ['copy', 'minimal', 18432, 'softmax.grad.ReduceSum', 'q, k, probs saved'],
    ['view', 'minimal', 18432, 'softmax.grad.ReduceSum', 'as copy: its Transposes are freed by now'],
    // checkpoint: q, k and probs are recomputed (temporaries now), same bytes: 18432.
    ['copy', 'checkpoint', 18432, 'softmax.grad.ReduceSum', 'q, k, probs recomputed'],
    ['view', 'checkpoint', 18432, 'softmax.grad.ReduceSum', 'q, k, probs recomputed'],
    // copy/tape: every forward tensor stays: c_attn MatMul + bias 6144, q k v 3072, the four
    // head Transposes (q, k, v, kT) 4096, scores/scale/mask/softmax 16384, context 1024,
    // merge 1024, c_proj MatMul + bias 2048, square 1024 = 34816; plus the 9472 temporaries of
    // minimal and 2816 always there: 47104.
    ['copy', 'tape', 47104, 'softmax.grad.ReduceSum', 'tape: 34816 of activations'],
    // view/tape: the same without the four Transposes: 29696 + 9472 + 2816 = 41984.
    ['view', 'tape', 41984, 'softmax.grad.ReduceSum', 'tape: 29696 of activations'],
    // fused: 1152 + 1072 + 1024 + 16 + 288, q, k saved 2048, temporaries recomputed probs 4096,
    // dO 1024, dP 4096, p*dP 4096, rowsum 256: 19168 (v is freed once dP has read it).
    ['fused', 'minimal', 19168, 'attention.grad.ReduceSum', 'probs recomputed in the backward'],
    ['fused', 'checkpoint', 19168, 'attention.grad.ReduceSum', 'q, k recomputed too'],
    // fused/tape: c_attn 6144, q k v 3072, attention 1024, c_proj 2048, square 1024 = 13312
    // kept, + 13568 temporaries + 4528: 30432.
    ['fused', 'tape', 30432, 'attention.grad.ReduceSum', 'tape: 13312 of activations'],
    // chunked (2 chunks of 8 queries): saved k 1024 and the q chunks 2 x 512; temporaries:
    // chunk 1 done but its dq 512, dS 2048 (for dk) and probs 2048 (for dV) live; dContext
    // chunks 2 x 512; chunk 0 probs 2048, dP 2048, p*dP 2048, rowsum 128: 11904.
    // 1152 + 336 + 1024 + 16 + 288 + 2048 + 11904 = 16768.
    ['chunked', 'minimal', 16768, 'softmax.grad.ReduceSum', 'scores of one chunk at a time'],
    ['chunked', 'checkpoint', 16768, 'softmax.grad.ReduceSum', 'k, q chunks recomputed'],
    // chunked/tape: c_attn 6144, q k v 3072, q chunks 1024, per chunk 4 x 2048 + context 512,
    // context 1024, c_proj 2048, square 1024 = 31744 kept; the peak moves to summing dV's
    // chunks: dS 2 x 2048, dq 1024, dV parts 2 x 1024 and their sum 1024 = 8192: 42752.
    ['chunked', 'tape', 42752, 'v_view.grad.AccumulateGrad', 'tape: 31744 of activations'],
  ];

  it.each(cases)('%s / %s: %i bytes at %s (%s)', (strategy, retention, bytes, node) => {
    const plan = planGraph(build(strategy as never, retention as never), { allocator: 'lazy', floor: tiny });
    const p = plan.at(2);
    expect(p.peakBytes).toBe(bytes);
    expect(p.peakNode).toBe(`block0/attention/${node}`);
    expect(p.liveAtPeak.reduce((a, t) => a + t.bytes, 0)).toBe(bytes);
    expect(Object.values(p.byCategory).reduce((a, b) => a + b, 0)).toBe(bytes);
    expect(p.byScope.attention + p.byScope.other).toBe(bytes);
    expect(p.byCategory.parameter).toBe(1152);
    expect(p.byCategory.input).toBe(1024);
  });

  it('view/minimal: the live set at the peak, tensor by tensor', () => {
    const p = planGraph(build('view', 'minimal'), { allocator: 'lazy' }).at(2);
    const a = 'block0/attention/';
    expect(
      p.liveAtPeak
        .filter((t) => !['parameter', 'constant'].includes(t.category))
        .map((t) => [t.tensor, t.bytes]),
    ).toEqual([
      ['x', 1024],
      [`${a}qkv_split:0`, 1024],
      [`${a}qkv_split:1`, 1024],
      [`${a}softmax`, 4096],
      ['loss', 16],
      [`${a}c_proj/bias.grad.ReduceSum`, 32],
      ['grad/transformer.h.0.attn.c_proj.weight', 256],
      [`${a}context.grad.Einsum_2`, 1024],
      [`${a}context.grad.Einsum`, 4096],
      [`${a}softmax.grad.Mul`, 4096],
      [`${a}softmax.grad.ReduceSum`, 256],
    ]);
    expect(p.byCategory).toEqual({
      parameter: 1152,
      constant: 336,
      input: 1024,
      activation: 6144,
      temporary: 9472,
      gradient: 288,
      'optimizer state': 0,
      output: 16,
    });
  });

  it('the floor: the larger of the end of the step and the block boundaries', () => {
    // End of the step: parameters 1152 + x 1024 + loss 16 + gradients (768 + 96 + 256 + 32 +
    // grad/x 1024 = 2176) = 4368. Block boundaries: 1152 + x 1024 (h_0) + h_1 [2, 16, 8] f32
    // 1024 = 3200. The floor is the larger: 4368.
    const plan = planGraph(build('view', 'minimal'), { allocator: 'lazy', floor: tiny });
    expect(plan.floorBytes(2)).toBe(4368);
    expect(plan.summary(2).floorBytes).toBe(4368);
    expect(planGraph(build('view', 'minimal'), { allocator: 'lazy' }).floorBytes(2)).toBeNull();
  });
});

describe('symbolic in the batch', () => {
  const batches = [1, 2, 3, 5, 8, 13, 64, 100, 257, 1000];
  it.each(STRATEGY_NAMES.flatMap((s) => RETENTION_NAMES.map((r) => [s, r] as const)))(
    '%s / %s: the fast peak equals the full walk, lazy and bucket',
    (strategy, retention) => {
      const lazy = planGraph(build(strategy, retention), { allocator: 'lazy', floor: tiny });
      for (const plan of [lazy, withAllocator(lazy, 'bucket')]) {
        for (const b of batches) {
          const full = plan.at(b);
          const s = plan.summary(b);
          expect([s.peakBytes, s.peakStep]).toEqual([full.peakBytes, full.peakStep]);
          expect(s.byCategory).toEqual(full.byCategory);
          expect(plan.largestBufferBytes(b)).toBe(full.largestBuffer.bytes);
          expect(Object.keys(s.byCategory)).toEqual([...CATEGORIES]);
        }
        expect(plan.candidateSteps.length).toBeLessThan(plan.liveness.steps.length / 3);
      }
    },
  );

  it.each(STRATEGY_NAMES.flatMap((s) => RETENTION_NAMES.map((r) => [s, r] as const)))(
    '%s / %s with adamw + mixed, one and two micro-steps: the fast peak equals the full walk',
    (strategy, retention) => {
      for (const microBatches of [1, 2]) {
        const g = buildTrainingGraph({
          model: PRESETS.tiny,
          strategy,
          retention,
          chunk: 8,
          dtype: 'mixed',
          optimizer: 'adamw',
          microBatches,
        });
        const lazy = planGraph(g, { allocator: 'lazy' });
        for (const plan of [lazy, withAllocator(lazy, 'bucket')]) {
          for (const b of batches) {
            const full = plan.at(b);
            const s = plan.summary(b);
            expect([s.peakBytes, s.peakStep, s.byCategory, s.byScope]).toEqual([
              full.peakBytes,
              full.peakStep,
              full.byCategory,
              full.byScope,
            ]);
          }
          // The update's steps move no batch-dependent buffer: they add rows to no dominance pass.
          expect(plan.candidateSteps.length).toBeLessThan(plan.liveness.steps.length / 10);
        }
      }
    },
  );

  it('a step is no candidate when a later one holds more buffers, each at least as large as one of its own', () => {
    // x [B, 4] -> a = x W1 [B, 2] -> b = a W2 [B, 8] -> c = exp(b) -> d = exp(c) -> e = b + d
    // (output). During b's step: x, a, b (16 + 8 + 32 bytes per batch row); during d's: x, b, c, d
    // (16 + 32 + 32 + 32). d's step holds no [B, 2] buffer, so counting buffers per size keeps
    // b's step; matching each of b's step's buffers to one of d's no smaller drops it.
    const g = new Graph();
    const x = g.input('x', ['B', 4], 'f32');
    const a = matmul(g, x, g.param('W1', [4, 2], 'f32'), 'a');
    const b = matmul(g, a, g.param('W2', [2, 8], 'f32'), 'b');
    const d = exp(g, exp(g, b, 'c'), 'd');
    g.outputs.push(add(g, b, d, 'e'));
    const lazy = planGraph(g, { allocator: 'lazy' });
    const stepOf = (tensor: string) =>
      lazy.liveness.steps.findIndex((s) =>
        s.allocs.some((id) => lazy.liveness.buffers[id]!.tensor === tensor),
      );
    for (const plan of [lazy, withAllocator(lazy, 'bucket')]) {
      expect(plan.candidateSteps).not.toContain(stepOf(b));
      expect(plan.candidateSteps).toContain(stepOf(d));
      for (const batch of [1, 2, 3, 64, 1000]) {
        expect(plan.summary(batch).peakStep).toBe(plan.at(batch).peakStep);
        expect(plan.summary(batch).peakBytes).toBe(plan.at(batch).peakBytes);
      }
    }
  });

  it('a dtype override sizes float tensors as f16', () => {
    const g = build('view', 'minimal');
    const f32 = planGraph(g, { allocator: 'lazy' }).at(4);
    const f16 = planGraph(g, { allocator: 'lazy', dtype: 'f16' }).at(4);
    expect(f16.byCategory.parameter).toBe(f32.byCategory.parameter / 2);
    expect(f16.peakBytes).toBeLessThan(f32.peakBytes);
    expect(f16.ops[1]!.outputs[0]!.dtype).toBe('float16');
  });
});
