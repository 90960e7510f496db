/**
 * Plans per (configuration, combination), cached: building a graph and its liveness takes
 * milliseconds, evaluating the plan at a batch microseconds, so the page's questions (a curve, a
 * step, a comparison) mostly reuse a plan. Work is shared only where it gives the very plan a
 * fresh build gives (planner.test.ts checks each against one):
 * - a `tape` graph is the `minimal` graph plus the tensors it retains, where minimal recomputes
 *   nothing (every strategy but `chunked`): built once, cloned (models/build.ts tapeFromMinimal);
 * - another allocator reuses the schedule and liveness (plan/plan.ts withAllocator);
 * - the chunk size is not part of a non-chunked combination's key (key.ts).
 * Not shared: an f16 plan from the f32 graph (LivenessOptions.dtype) differs from the f16 build,
 * which casts where f32 does not, so every dtype is built as itself.
 */
import type { Graph } from '../graph/graph';
import { buildTrainingGraph, buildTrainingSteps, tapeFromMinimal } from '../models/build';
import { validateSpec, type BuildSpec } from '../models/spec';
import { planGraph, planMicroSteps, withAllocator, type GraphPlan } from '../plan/plan';
import { floorModelOf } from '../plan/toReport';
import { ALLOCATORS, MAX_BATCH } from '../vocabulary';
import { compareSteps } from './compare';
import { planCurve } from './curves';
import { buildSpecOf, graphKey, planKey } from './key';
import { stepDetail } from './step';
import type { Combo, Comparison, Curve, CurveRequest, PlanConfig, StepDetail, StepRequest } from './types';

/**
 * How a plan was obtained: cached; from another allocator's plan; from a graph already built
 * (the shared minimal/tape graph); from a new build.
 */
export type PlanSource = 'cache' | 'allocator' | 'shared-graph' | 'built';

export interface PlannerStats {
  hits: number;
  /** Plans made from another allocator's plan of the same graph. */
  allocatorReuses: number;
  /** Tape graphs cloned from a minimal graph instead of built. */
  derivedTapes: number;
  /** Graphs built (buildTrainingGraph). */
  builds: number;
}

export interface PlanResult {
  plan: GraphPlan;
  source: PlanSource;
  /** Time spent obtaining it, ms. */
  ms: number;
}

/** A least-recently-used map: `get` refreshes an entry, `set` evicts the oldest past `capacity`. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private capacity: number) {}
  /** Holds at least `capacity` entries from now on (never shrinks). */
  growTo(capacity: number): void {
    this.capacity = Math.max(this.capacity, capacity);
  }
  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }
  /** The entry, if any, left where it is in the order. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }
  set(key: string, v: V): void {
    this.entries.delete(key);
    this.entries.set(key, v);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
  get size(): number {
    return this.entries.size;
  }
}

/** The build spec of `combo` under `config`; throws the validation messages when it cannot be built. */
export function specOf(config: PlanConfig, combo: Combo): BuildSpec {
  const spec = buildSpecOf(config, combo);
  const errors = validateSpec(spec);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return spec;
}

/**
 * Curves kept by request: a curve is tens of kilobytes where its plan is hundreds, so the values a
 * page plans ahead (every model slider's neighbours: 6 sliders × 2 × up to 12 combinations, spread
 * over the workers) stay answerable after their plans have left the plan cache.
 */
export const CURVE_CACHE_CAPACITY = 256;

export class ComboPlanner {
  private readonly plans: Lru<GraphPlan>;
  private readonly curves = new Lru<Curve>(CURVE_CACHE_CAPACITY);
  /** Minimal graphs of tape-sharing strategies, by graph key (a tape is cloned from one). */
  private readonly minimalGraphs: Lru<Graph>;
  readonly stats: PlannerStats = { hits: 0, allocatorReuses: 0, derivedTapes: 0, builds: 0 };

  constructor(private cap = 48) {
    this.plans = new Lru(cap);
    this.minimalGraphs = new Lru(Math.max(1, Math.ceil(cap / 4)));
  }

  /** How many plans the cache holds. */
  get capacity(): number {
    return this.cap;
  }

  /**
   * Lets the cache hold at least `capacity` plans from now on (the fit advisor's question plans
   * about 50: fit/advisor.ts FIT_PLANNER_CAPACITY); never shrinks it.
   */
  growTo(capacity: number): void {
    this.cap = Math.max(this.cap, capacity);
    this.plans.growTo(this.cap);
    this.minimalGraphs.growTo(Math.max(1, Math.ceil(this.cap / 4)));
  }

  /** Plans cached now. */
  get size(): number {
    return this.plans.size;
  }

  /**
   * The plan of `combo` under `config`: cached, or made by the cheapest exact route. `cache` false:
   * a plan made is not added to the cache (nor does a cached one move up).
   */
  plan(config: PlanConfig, combo: Combo, cache = true): PlanResult {
    const start = performance.now();
    const key = planKey(config, combo);
    const cached = cache ? this.plans.get(key) : this.plans.peek(key);
    if (cached) {
      this.stats.hits++;
      return { plan: cached, source: 'cache', ms: performance.now() - start };
    }
    const spec = specOf(config, combo);
    const { plan, source } = this.fromOtherAllocator(config, combo) ?? this.fromGraph(spec, config);
    if (cache) this.plans.set(key, plan);
    return { plan, source, ms: performance.now() - start };
  }

  private fromOtherAllocator(
    config: PlanConfig,
    combo: Combo,
  ): { plan: GraphPlan; source: PlanSource } | null {
    for (const allocator of ALLOCATORS) {
      if (allocator === config.allocator) continue;
      const other = this.plans.get(planKey({ ...config, allocator }, combo));
      if (!other) continue;
      this.stats.allocatorReuses++;
      return { plan: withAllocator(other, config.allocator), source: 'allocator' };
    }
    return null;
  }

  private fromGraph(spec: BuildSpec, config: PlanConfig): { plan: GraphPlan; source: PlanSource } {
    const opts = { allocator: config.allocator, floor: floorModelOf(spec) };
    if (spec.microBatches > 1) {
      // Two graphs (accumulate, apply): built as they are, nothing shared.
      this.stats.builds += 2;
      return { plan: planMicroSteps(buildTrainingSteps(spec), opts), source: 'built' };
    }
    const { graph, source } = this.graphOf(spec, config);
    return { plan: planGraph(graph, opts), source };
  }

  /**
   * The graph of `spec`. Where tape and minimal share one graph, the minimal graph is kept and
   * the tape graph cloned from it, whichever of the two is asked for first.
   */
  private graphOf(spec: BuildSpec, config: PlanConfig): { graph: Graph; source: PlanSource } {
    const shares = spec.strategy !== 'chunked' && spec.retention !== 'checkpoint';
    if (!shares) return { graph: this.build(spec), source: 'built' };
    const minimalKey = graphKey(config, { strategy: spec.strategy, retention: 'minimal' });
    const cached = this.minimalGraphs.get(minimalKey);
    const minimal = cached ?? this.build({ ...spec, retention: 'minimal' });
    if (!cached) this.minimalGraphs.set(minimalKey, minimal);
    const source: PlanSource = cached ? 'shared-graph' : 'built';
    if (spec.retention === 'minimal') return { graph: minimal, source };
    const tape = tapeFromMinimal(minimal);
    if (!tape) return { graph: this.build(spec), source: 'built' };
    this.stats.derivedTapes++;
    return { graph: tape, source };
  }

  private build(spec: BuildSpec): Graph {
    this.stats.builds++;
    return buildTrainingGraph(spec);
  }

  /**
   * The curve of `req.combo` (planMs includes obtaining the plan); a request asked before is
   * answered from the curve cache (planMs 0). `cachePlan` false (planning ahead): only the curve is
   * cached, not its plan. The page plans ahead far more values than the plan cache holds, so their
   * plans would only push out the shown ones; and dropped at once, they cost the worker's garbage
   * collector far less than kept until evicted (about half the scavenging time, measured in Node).
   */
  curve(req: CurveRequest, cachePlan = true): Curve {
    const key = JSON.stringify(req);
    const cached = this.curves.get(key);
    if (cached) {
      this.stats.hits++;
      return { ...cached, planMs: 0 };
    }
    const { plan, ms } = this.plan(req.config, req.combo, cachePlan);
    const curve = planCurve(plan, req, ms);
    this.curves.set(key, curve);
    return curve;
  }

  step(req: StepRequest): StepDetail {
    if (!Number.isInteger(req.batch) || req.batch < 1 || req.batch > MAX_BATCH)
      throw new Error(`batch must be a whole number from 1 to ${MAX_BATCH}, got ${req.batch}`);
    return stepDetail(this.plan(req.config, req.combo).plan, req);
  }

  compare(a: StepRequest, b: StepRequest): Comparison {
    return compareSteps(this.step(a), this.step(b));
  }
}
