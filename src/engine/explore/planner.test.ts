import { describe, expect, it } from 'vitest';
import { buildTrainingGraph, buildTrainingSteps } from '../models/build';
import { PRESETS, type BuildSpec } from '../models/spec';
import { planGraph, planMicroSteps, type GraphPlan } from '../plan/plan';
import { testPlanConfig } from '../testing/planConfig';
import { RETENTION_NAMES, STRATEGY_NAMES, WEBGPU_DEFAULT_LIMITS, type Allocator } from '../vocabulary';
import { ComboPlanner, specOf } from './planner';
import type { Combo, CurveRequest, PlanConfig } from './types';

const config = testPlanConfig;

/** The plan a fresh build gives, as the planner's doc says each shortcut must match. */
function fresh(c: PlanConfig, combo: Combo, allocator: Allocator = c.allocator): GraphPlan {
  const spec: BuildSpec = {
    model: c.model,
    ...combo,
    chunk: c.chunk,
    dtype: c.dtype,
    optimizer: c.optimizer,
    microBatches: c.microBatches,
  };
  return planGraph(buildTrainingGraph(spec), { allocator, floor: c.model });
}

/** Everything the plan says at a few batches: per op, at the peak, reserved, floor, largest buffer. */
const everything = (p: GraphPlan) => [1, 3, 8].map((b) => p.at(b));

describe('ComboPlanner', () => {
  it.each(['copy', 'view', 'fused'] as const)(
    '%s: a tape plan cloned from the minimal graph is the tape build, asked first or second',
    (strategy) => {
      const planner = new ComboPlanner();
      const tapeFirst = planner.plan(config(), { strategy, retention: 'tape' });
      expect(tapeFirst.source).toBe('built');
      const minimal = planner.plan(config(), { strategy, retention: 'minimal' });
      expect(minimal.source).toBe('shared-graph');
      expect(planner.stats).toMatchObject({ builds: 1, derivedTapes: 1 });
      const tapeFresh = fresh(config(), { strategy, retention: 'tape' });
      expect(tapeFirst.plan.graph.retained).toEqual(tapeFresh.graph.retained);
      expect(tapeFirst.plan.graph.nodes).toEqual(tapeFresh.graph.nodes);
      expect(everything(tapeFirst.plan)).toEqual(everything(tapeFresh));
      expect(everything(minimal.plan)).toEqual(
        everything(fresh(config(), { strategy, retention: 'minimal' })),
      );
      // The clone left the minimal graph as it was.
      expect(minimal.plan.graph.retained).toEqual([]);
    },
  );

  it('chunked builds its tape graph (minimal recomputes the chunk scores)', () => {
    const planner = new ComboPlanner();
    planner.plan(config(), { strategy: 'chunked', retention: 'minimal' });
    const tape = planner.plan(config(), { strategy: 'chunked', retention: 'tape' });
    expect(tape.source).toBe('built');
    expect(everything(tape.plan)).toEqual(
      everything(fresh(config(), { strategy: 'chunked', retention: 'tape' })),
    );
  });

  it('every k > 1 micro-batches plans the same bytes, so they share one plan: the seed 1/k is a constant of its own', () => {
    // 1/2 once shared the model's own 0.5 constant: k = 2 held 16 bytes fewer than k = 4 or 8, and
    // the shared plan depended on which k was asked first.
    const planFor = (microBatches: number) => {
      const spec = specOf(config({ microBatches }), { strategy: 'view', retention: 'minimal' });
      return planMicroSteps(buildTrainingSteps(spec), { allocator: 'lazy', floor: spec.model });
    };
    const [two, ...others] = [2, 3, 4, 8].map(planFor);
    for (const other of others) expect(everything(other!)).toEqual(everything(two!));
  });

  it('another allocator reuses the liveness and plans what a fresh build plans', () => {
    const planner = new ComboPlanner();
    const combo: Combo = { strategy: 'view', retention: 'checkpoint' };
    planner.plan(config(), combo);
    const bucket = planner.plan(config({ allocator: 'bucket' }), combo);
    expect(bucket.source).toBe('allocator');
    expect(everything(bucket.plan)).toEqual(everything(fresh(config(), combo, 'bucket')));
  });

  it('the chunk size changes only the chunked plans', () => {
    const planner = new ComboPlanner();
    const view: Combo = { strategy: 'view', retention: 'minimal' };
    const chunked: Combo = { strategy: 'chunked', retention: 'minimal' };
    planner.plan(config(), view);
    planner.plan(config(), chunked);
    expect(planner.plan(config({ chunk: 4 }), view).source).toBe('cache');
    expect(planner.plan(config({ chunk: 4 }), chunked).source).toBe('built');
    expect(everything(planner.plan(config({ chunk: 4 }), view).plan)).toEqual(
      everything(fresh(config({ chunk: 4 }), view)),
    );
  });

  it('an f16 plan from the f32 graph is not the f16 build (so the planner builds f16 itself)', () => {
    const combo: Combo = { strategy: 'view', retention: 'minimal' };
    const f32 = buildTrainingGraph({
      model: PRESETS.tiny,
      ...combo,
      chunk: 8,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    const overridden = planGraph(f32, { allocator: 'lazy', dtype: 'f16' }).at(2);
    const built = fresh(config({ dtype: 'f16', optimizer: 'none', microBatches: 1 }), combo).at(2);
    expect(overridden.ops.length).not.toBe(built.ops.length);
    const planner = new ComboPlanner();
    expect(
      everything(planner.plan(config({ dtype: 'f16', optimizer: 'none', microBatches: 1 }), combo).plan),
    ).toEqual(everything(fresh(config({ dtype: 'f16', optimizer: 'none', microBatches: 1 }), combo)));
  });

  it('every combination: a warm planner and a cold build plan the same peaks', () => {
    const planner = new ComboPlanner();
    for (const retention of RETENTION_NAMES)
      for (const strategy of STRATEGY_NAMES) {
        const combo = { strategy, retention };
        const p = planner.plan(config(), combo).plan;
        const f = fresh(config(), combo);
        expect([1, 2, 5, 64].map((b) => p.peakBytes(b))).toEqual([1, 2, 5, 64].map((b) => f.peakBytes(b)));
      }
    expect(planner.stats.builds).toBe(9);
  });

  it('keeps the most recently used plans', () => {
    const planner = new ComboPlanner(2);
    const a: Combo = { strategy: 'view', retention: 'checkpoint' };
    const b: Combo = { strategy: 'copy', retention: 'checkpoint' };
    const c: Combo = { strategy: 'fused', retention: 'checkpoint' };
    planner.plan(config(), a);
    planner.plan(config(), b);
    planner.plan(config(), a); // a is now the most recent
    planner.plan(config(), c); // evicts b
    expect(planner.size).toBe(2);
    expect(planner.plan(config(), a).source).toBe('cache');
    expect(planner.plan(config(), b).source).toBe('built');
  });

  it('plans a curve ahead without caching its plan, and answers it again from the curve cache', () => {
    const planner = new ComboPlanner(4);
    const req: CurveRequest = {
      config: config(),
      combo: { strategy: 'view', retention: 'checkpoint' },
      budgetBytes: 2 ** 30,
      limits: WEBGPU_DEFAULT_LIMITS,
      minBatch: 4,
      reserved: false,
    };
    const ahead = planner.curve(req, false);
    expect(planner.size).toBe(0);
    expect(planner.curve(req)).toEqual({ ...ahead, planMs: 0 });
    // The plan itself is built again when a step asks for it, and cached then.
    expect(planner.plan(req.config, req.combo).source).toBe('built');
    expect(planner.size).toBe(1);
    // A cached plan serves a curve planned ahead, and stays cached.
    const other = { ...req, budgetBytes: 2 ** 20 };
    const builds = planner.stats.builds;
    planner.curve(other, false);
    expect(planner.stats.builds).toBe(builds);
    expect(planner.size).toBe(1);
  });

  it('keeps curves after their plans have left the plan cache (what the page plans ahead)', () => {
    const planner = new ComboPlanner(1);
    const req = (combo: Combo, budgetBytes = 2 ** 30): CurveRequest => ({
      config: config(),
      combo,
      budgetBytes,
      limits: WEBGPU_DEFAULT_LIMITS,
      minBatch: 4,
      reserved: false,
    });
    const a: Combo = { strategy: 'view', retention: 'checkpoint' };
    const b: Combo = { strategy: 'copy', retention: 'checkpoint' };
    const first = planner.curve(req(a));
    planner.curve(req(b)); // evicts a's plan
    expect(planner.size).toBe(1);
    const builds = planner.stats.builds;
    const again = planner.curve(req(a));
    expect(planner.stats.builds).toBe(builds);
    expect(again.points).toEqual(first.points);
    expect(again.planMs).toBe(0);
    // Another budget is another curve: planned again, its own max batch.
    const tight = planner.curve(req(a, 2 ** 20));
    expect(planner.stats.builds).toBe(builds + 1);
    expect(tight.points).not.toEqual(first.points);
  });

  it('a configuration that cannot be built throws the validation message', () => {
    const bad = config({ model: { ...PRESETS.tiny, embd: 30, heads: 4 } });
    const combo: Combo = { strategy: 'view', retention: 'minimal' };
    expect(() => new ComboPlanner().plan(bad, combo)).toThrow(
      'embedding size 30 is not divisible by 4 heads',
    );
    expect(() => specOf(config({ chunk: 0 }), combo)).toThrow('chunk must be a positive integer, got 0');
    expect(() => new ComboPlanner().step({ config: config(), combo, batch: 0 })).toThrow(
      'batch must be a whole number from 1 to',
    );
  });
});
