/** The cost model: FLOPs and bytes per node against hand-worked counts, the roofline, the analytic step FLOPs. */
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../explore/planner';
import { Graph } from '../graph/graph';
import { buildTrainingGraph } from '../models/build';
import { PRESETS } from '../models/spec';
import { einsum } from '../ops/einsum';
import { OPS } from '../ops/index';
import { embedding } from '../ops/gather';
import { matmul } from '../ops/matmul';
import { reduceSum } from '../ops/reduceSum';
import { reshape } from '../ops/reshape';
import { softmax } from '../ops/softmax';
import {
  atBatch,
  DEFAULT_DEVICE_SPEED,
  deviceSpeed,
  FLOP_RULES,
  nodeCost,
  nodeSeconds,
  nodeWorkAt,
  rooflineSeconds,
  stepCost,
} from './cost';
import { paramCount, stepFlops } from './flops';

/** The cost of the node that wrote `tensor` in `g`. */
function costOf(g: Graph, tensor: string) {
  const node = g.nodes.find((n) => n.outputs.includes(tensor))!;
  return nodeCost(g, { node, inputs: node.inputs });
}

describe('cost model', () => {
  it('has a FLOP rule for every op Headroom builds', () => {
    expect(OPS.map((o) => o.opType).filter((t) => !(t in FLOP_RULES))).toEqual([]);
  });

  it('counts a Linear layer as 2·M·N·K FLOPs and its operands and output as bytes moved', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 3, 4], 'f32');
    const w = g.param('w', [4, 5], 'f32');
    const c = costOf(g, matmul(g, x, w));
    // Per example: 3×5 outputs of 4 multiply-adds: 2·3·5·4 = 120 FLOPs. Reads x (12 floats) and
    // w (20 floats, not per example), writes 15 floats.
    expect(c.flops).toEqual({ perBatch: 120, fixed: 0 });
    expect(c.bytes).toEqual({ perBatch: (12 + 15) * 4, fixed: 20 * 4 });
    expect(c.dispatches).toBe(1);
    expect(c.f16).toBe(false);
  });

  it('counts an Einsum as 2 × the product of its index sizes, and f16 bytes as 2 each', () => {
    const g = new Graph();
    const q = g.input('q', ['B', 6, 8, 4], 'f16');
    const k = g.input('k', ['B', 6, 8, 4], 'f16');
    const c = costOf(g, einsum(g, 'bhtd,bhsd->bhts', q, k));
    // b·h·t·s·d = B·6·8·8·4 terms; reads 2 × 6·8·4 halves and writes 6·8·8 per example.
    expect(c.flops).toEqual({ perBatch: 2 * 6 * 8 * 8 * 4, fixed: 0 });
    expect(c.bytes).toEqual({ perBatch: (2 * 6 * 8 * 4 + 6 * 8 * 8) * 2, fixed: 0 });
    expect(c.f16).toBe(true);
  });

  it('counts softmax per output element, reductions per input element, and a reshape as nothing', () => {
    const g = new Graph();
    const x = g.input('x', ['B', 4, 10], 'f32');
    const s = costOf(g, softmax(g, x));
    expect(s.flops).toEqual({ perBatch: 5 * 40, fixed: 0 });
    const r = costOf(g, reduceSum(g, x, [2], false));
    expect(r.flops).toEqual({ perBatch: 40, fixed: 0 });
    // The axes are read on the CPU: only x (40 floats) is read, 4 floats written.
    expect(r.bytes).toEqual({ perBatch: (40 + 4) * 4, fixed: 0 });
    const v = costOf(g, reshape(g, x, ['B', 40]));
    expect([v.flops, v.bytes, v.dispatches]).toEqual([
      { perBatch: 0, fixed: 0 },
      { perBatch: 0, fixed: 0 },
      0,
    ]);
  });

  it('counts a Gather as reading only the rows it gathers', () => {
    const g = new Graph();
    const table = g.param('wte', [1000, 16], 'f32');
    const tokens = g.input('tokens', ['B', 8], 'i64');
    const c = costOf(g, embedding(g, table, tokens));
    // 8 rows of 16 floats read and written, 8 int64 indices read; the 1000-row table is not read whole.
    expect(c.bytes).toEqual({ perBatch: 2 * 8 * 16 * 4 + 8 * 8, fixed: 0 });
    expect(c.flops).toEqual({ perBatch: 0, fixed: 0 });
  });

  it('times a node by the slower of its arithmetic and its traffic, plus its dispatches', () => {
    const speed = deviceSpeed({ f32FlopsPerSecond: 1e12, bytesPerSecond: 1e11, dispatchSeconds: 1e-5 });
    // 2e11 FLOPs take 0.2 s, 1e10 bytes 0.1 s: compute-bound.
    expect(rooflineSeconds({ flops: 2e11, bytes: 1e10, dispatches: 2 }, speed)).toBeCloseTo(0.2 + 2e-5, 12);
    // 5e10 bytes take 0.5 s: memory-bound.
    expect(rooflineSeconds({ flops: 2e11, bytes: 5e10, dispatches: 1 }, speed)).toBeCloseTo(0.5 + 1e-5, 12);
    const f16 = deviceSpeed({ f16FlopsPerSecond: 4e12, bytesPerSecond: 1e15, dispatchSeconds: 1e-9 });
    expect(rooflineSeconds({ flops: 4e12, bytes: 0, dispatches: 0, f16: true }, f16)).toBeCloseTo(1, 12);
    const c = {
      node: 'n',
      opType: 'MatMul',
      f16: false,
      flops: { perBatch: 1e9, fixed: 0 },
      bytes: { perBatch: 0, fixed: 0 },
      dispatches: 0,
    };
    expect(nodeSeconds(c, 4, speed)).toBeCloseTo(4e9 / 1e12, 12);
    expect(() => deviceSpeed({ bytesPerSecond: 0 })).toThrow(/bytesPerSecond must be a positive number/);
    expect(deviceSpeed()).toEqual(DEFAULT_DEVICE_SPEED);
  });

  it("costs a plan's every scheduled node, linear in the batch", () => {
    const plan = new ComboPlanner().plan(
      {
        model: { ...PRESETS.tiny },
        chunk: 8,
        dtype: 'f32',
        allocator: 'lazy',
        optimizer: 'none',
        microBatches: 1,
        loss: 'standard',
        lossChunk: 128,
      },
      { strategy: 'copy', retention: 'minimal' },
    ).plan;
    const costs = stepCost(plan);
    expect(costs.map((c) => c.node)).toEqual(plan.liveness.schedule.nodes.map((n) => n.node.name));
    expect(stepCost(plan)).toBe(costs);
    // Linear: every node's work counted at batch 5 is what its perBatch·5 + fixed says.
    const g = plan.graph;
    const direct = plan.liveness.schedule.nodes.map((n) => nodeWorkAt(g, n, 5));
    expect(costs.map((c) => ({ flops: atBatch(c.flops, 5), bytes: atBatch(c.bytes, 5) }))).toEqual(direct);
    expect(direct.some((w) => w.flops > 0)).toBe(true);
  });
});

describe('analytic step FLOPs', () => {
  it('counts the parameters the built graph has (LM head tied to the embedding)', () => {
    for (const model of [PRESETS.seed, PRESETS.tiny, { ...PRESETS.tiny, attentionOnly: true }]) {
      const g = buildTrainingGraph({
        model,
        strategy: 'view',
        retention: 'minimal',
        chunk: 64,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
      });
      const built = g.params.reduce(
        (n, p) => n + g.info(p).shape.reduce<number>((a, d) => a * Number(d), 1),
        0,
      );
      expect(paramCount(model)).toBe(built);
    }
  });

  it("agrees within 2% with the seed step's products counted node by node", () => {
    const plan = new ComboPlanner().plan(
      {
        model: { ...PRESETS.seed },
        chunk: 64,
        dtype: 'f32',
        allocator: 'lazy',
        optimizer: 'none',
        microBatches: 1,
        loss: 'standard',
        lossChunk: 128,
      },
      { strategy: 'view', retention: 'minimal' },
    ).plan;
    const products = stepCost(plan).filter((c) => c.opType === 'MatMul' || c.opType === 'Einsum');
    const counted = products.reduce((s, c) => s + atBatch(c.flops, 8), 0);
    // 6·params·B·T counts the position embedding (a Gather here) as a product: the 1% it differs by.
    expect(Math.abs(counted / stepFlops(PRESETS.seed, 8) - 1)).toBeLessThan(0.02);
  });
});
