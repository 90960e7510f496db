/**
 * The loss head's two composites: ChunkedLinearCrossEntropy's gradients against central finite
 * differences and against the LM head + CrossEntropy (1e-5), and the planned bytes of
 * CrossEntropy's backward pass against hand-worked counts.
 */
import { describe, expect, it } from 'vitest';
import { appendBackward } from '../autodiff/backward';
import { Graph } from '../graph/graph';
import { numel } from '../graph/shape';
import type { FloatDType } from '../graph/types';
import { rng } from '../models/init';
import { bufferBytes } from '../plan/liveness';
import { planGraph } from '../plan/plan';
import { CpuRunner, finiteDifferences, relativeError, type Values } from '../testing/ortCpu';
import { chunkedLinearCrossEntropy, lossChunks } from './chunkedLinearCrossEntropy';
import { crossEntropy, targetIndices } from './crossEntropy';
import { einsum } from './einsum';

const B = 2;
const [T, C, V] = [10, 3, 7];
const TARGETS = [6, 0, 3, 3, 1, 5, 2, 0, 6, 4, 1, 1, 0, 2, 5, 6, 3, 4, 4, 0];

/** x [B, T, C] and the head's weight [V, C] as inputs, targets [B, T]; chunk null: the standard loss. */
function headGraph(dtype: FloatDType, chunk: number | null): Graph {
  const g = new Graph();
  const x = g.input('x', ['B', T, C], dtype);
  const w = g.input('w', [V, C], dtype);
  const targets = g.input('targets', ['B', T], 'i64');
  const sizes = chunk === null ? [T] : lossChunks(T, chunk);
  const ids = targetIndices(g, targets, V, sizes);
  const loss =
    chunk === null
      ? crossEntropy(g, einsum(g, 'btc,vc->btv', x, w, 'logits'), targets, 'cross_entropy', ids[0])
      : chunkedLinearCrossEntropy(g, x, w, ids, sizes);
  g.rename(loss, 'loss');
  appendBackward(g, 'loss', [x, w]);
  return g;
}

function headValues(): Values {
  const next = rng(3);
  const uniform = (n: number, scale: number) => Array.from({ length: n }, () => scale * (2 * next() - 1));
  return new Map<string, ArrayLike<number>>([
    ['x', uniform(numel(['B', T, C], B), 2)],
    ['w', uniform(V * C, 2)],
    ['targets', TARGETS],
  ]);
}

async function run(g: Graph): Promise<Map<string, Float64Array>> {
  const runner = await CpuRunner.create(g, B);
  const out = await runner.run(headValues());
  await runner.release();
  return out;
}

describe('ChunkedLinearCrossEntropy', () => {
  // Chunks of 4 (4, 4, 2: a shorter last chunk) and of 1 (10 chunks: past the 7 pieces one Split
  // or Concat may take, so the trees are used).
  it.each([4, 1])(
    'chunks of %i: gradients of x and the weight match finite differences (f64)',
    async (chunk) => {
      const g = headGraph('f64', chunk);
      const runner = await CpuRunner.create(g, B);
      const checks = await finiteDifferences(runner, headValues(), ['x', 'w'], { samples: 8, eps: 1e-5 });
      await runner.release();
      expect(new Set(checks.map((c) => c.tensor))).toEqual(new Set(['x', 'w']));
      for (const c of checks)
        expect(relativeError(c.analytic, c.numeric), `${c.tensor}[${c.index}]`).toBeLessThan(1e-6);
    },
  );

  it.each([
    ['f64', 4],
    ['f32', 4],
    ['f32', 1],
    ['f32', 16],
  ] as const)(
    '%s, chunks of %i: the same loss and gradients as the head and CrossEntropy (1e-5)',
    async (dtype, chunk) => {
      const standard = await run(headGraph(dtype, null));
      const chunked = await run(headGraph(dtype, chunk));
      expect([...chunked.keys()]).toEqual(['loss', 'grad/x', 'grad/w']);
      for (const name of chunked.keys()) {
        const [a, b] = [chunked.get(name)!, standard.get(name)!];
        expect(a, name).toHaveLength(b.length);
        a.forEach((v, i) => expect(relativeError(v, b[i]!, 1e-3), `${name}[${i}]`).toBeLessThan(1e-5));
      }
      // And the loss is the cross-entropy: log(sum(exp(logits))) - logits[target], averaged.
      const values = headValues();
      const [x, w] = [values.get('x')!, values.get('w')!];
      let total = 0;
      for (let r = 0; r < B * T; r++) {
        const logits = Array.from({ length: V }, (_, v) =>
          Array.from({ length: C }, (_, c) => x[r * C + c]! * w[v * C + c]!).reduce((s, p) => s + p, 0),
        );
        total += Math.log(logits.reduce((s, l) => s + Math.exp(l), 0)) - logits[TARGETS[r]!]!;
      }
      expect(relativeError(chunked.get('loss')![0]!, total / (B * T))).toBeLessThan(
        dtype === 'f64' ? 1e-12 : 1e-6,
      );
    },
  );

  it('adds each chunk to the weight gradient before the next chunk starts: one chunk of logits at a time', () => {
    // T 10 in chunks of 4, V 7, f32, batch 2: a chunk's logits are [2, 4, 7] (224 bytes, 224 as
    // the lazy allocator rounds to 16), the last one's [2, 2, 7] (112). Whatever else lives, no
    // backward step may hold more than two chunk-sized tensors of the logits' width: a chunk's
    // logits and their shift, the shift and its Exp, the Exp and its scaled copy (the one-hot is
    // subtracted in place).
    const plan = planGraph(headGraph('f32', 4), { allocator: 'lazy' });
    const wide = plan.liveness.buffers.filter((b) => b.shape.length === 3 && b.shape[2] === V);
    const backwardStart = plan.at(B).ops.findIndex((o) => o.phase !== 'forward');
    expect(backwardStart).toBeGreaterThan(0);
    const steps = plan.at(B).ops.length;
    let most = 0;
    for (let step = backwardStart; step < steps; step++) {
      const live = wide.filter((b) => b.first <= step && step <= b.last);
      most = Math.max(
        most,
        live.reduce((s, b) => s + bufferBytes(b.bytes, B, 'lazy'), 0),
      );
    }
    expect(most).toBe(2 * 224);
  });
});

describe('CrossEntropy: planned bytes of its backward pass, by hand', () => {
  it('holds the logits and one more B·T·V tensor at most, and subtracts the one-hot in place', () => {
    // x [2, 4, 2] and w [8, 2] (f32) -> logits [2, 4, 8]: B·T·V = 64 floats = 256 bytes; a
    // [2, 4, 1] f32 tensor is 32 bytes, its i64 ids 64; scalars round up to 16 (lazy allocator).
    const g = new Graph();
    const x = g.input('x', ['B', 4, 2], 'f32');
    const w = g.param('w', [8, 2], 'f32');
    const targets = g.input('targets', ['B', 4], 'i64');
    g.rename(crossEntropy(g, einsum(g, 'btc,vc->btv', x, w, 'logits'), targets), 'loss');
    appendBackward(g, 'loss', [x, w]);
    const step = planGraph(g, { allocator: 'lazy' }).at(2);
    const resident = 64 + 32 + 32 + 16 + 16; // w, the arange column [8, 1] and row [8], dloss, 1/N
    const inputs = 64 + 64; // x, targets (live the whole step)
    // After the forward pass: the logits (256), the target ids (64), the row max and the sum of
    // exps (32 each: the log-sum-exp in two parts) and the loss (16).
    const kept = 256 + 64 + 32 + 32 + 16;
    const ce = step.ops.filter((o) => o.phase === 'backward' && o.node.startsWith('cross_entropy/'));
    const rows = ce.map((o) => [o.node.replace('cross_entropy/grad.', ''), o.allocBytes, o.freedBytes]);
    expect(rows).toEqual([
      ['shifted', 256, 256 + 32], // logits - row max; frees the logits and the row max
      ['exp', 256, 256], // frees the shifted logits
      ['scale', 16, 0], // dloss / N
      ['scale_over_sum', 32, 32 + 0], // frees the sum of exps
      ['scaled_probs', 256, 256 + 32], // exp · scale / sum; frees the exp
      ['minus_scale', 16, 16], // -dloss / N (frees dloss / N)
      ['minus_scale_2', 32, 16], // expanded to [2, 4, 1]
      ['dlogits', 0, 32 + 64], // ScatterElements in place: frees its updates and the target ids
    ]);
    // Live during a step = live after it + what it freed. The most during the cross-entropy's
    // backward: everything kept, plus the shifted logits (two B·T·V tensors).
    const during = ce.map((o) => o.liveBytesAfter + o.freedBytes);
    expect(Math.max(...during)).toBe(resident + inputs + kept + 256);
    expect(ce[0]!.liveBytesAfter + ce[0]!.freedBytes).toBe(resident + inputs + kept + 256);
    // The forward pass peaks higher, at its Exp: the logits, the shifted logits and their exps.
    expect(step.peakNode).toBe('cross_entropy/exp');
    expect(step.peakBytes).toBe(resident + inputs + 256 + 64 + 32 + 32 + 256 + 256);
  });
});
