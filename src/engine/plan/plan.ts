/**
 * The plan of a graph at a batch size: per step, bytes allocated, freed and live; the peak, the
 * node at the peak and every tensor live there; bytes per category and per scope at the peak; the
 * floor; the bytes the GPU reserves (reserved.ts). A step of several micro-batches (gradient
 * accumulation) runs more than one graph: its plan is the last micro-step's (the optimizer's), with
 * the others in `microSteps`, and its peak is the highest of them.
 *
 * Liveness (liveness.ts) is computed once per graph; a batch only resizes buffers. `peakBytes` and
 * `summary` are fast thanks to the peak index (peakIndex.ts): only the steps no other step
 * dominates can hold the peak. A batch then costs, per surviving step, slope·B + intercept plus the rounding
 * excess of the classes whose size is not exactly linear (none in 'lazy' when sizes are multiples
 * of 16; every class in 'bucket').
 */
import type { Graph } from '../graph/graph';
import type { FloatDType } from '../graph/types';
import type { OpRecord } from '../report/schema';
import {
  analyseLiveness,
  bufferBytes,
  exactBytes,
  type Liveness,
  type LivenessOptions,
  type PlannedBuffer,
} from './liveness';
import { CATEGORIES, type Allocator, type Category } from '../vocabulary';
import { floorAt, floorSets, type FloorModel, type FloorSets } from './floor';
import { buildPeakIndex, type PeakIndex } from './peakIndex';
import { liveTensors, walkSteps, type LiveTensor } from './opRecords';
import { allocations, reservedPeak, type Allocations } from './reserved';

export type { FloorModel } from './floor';

export interface PlanOptions extends LivenessOptions {
  allocator: Allocator;
  /** Without it there is no floor (floorBytes null). */
  floor?: FloorModel;
}

export type ByCategory = Record<Category, number>;
export interface ByScope {
  attention: number;
  other: number;
}

export interface PeakSummary {
  batch: number;
  peakBytes: number;
  /** The step at the peak (0 = the pseudo-node "input") and its node. */
  peakStep: number;
  peakNode: string;
  floorBytes: number | null;
  /** Bytes live at the peak, per category; they sum to peakBytes. */
  byCategory: ByCategory;
  /** Bytes live at the peak in attention scopes and elsewhere. */
  byScope: ByScope;
}

export interface BatchPlan extends PeakSummary {
  allocator: Allocator;
  /** The pseudo-node "input" first, then every node in execution order (as measured ops). */
  ops: OpRecord[];
  liveAtPeak: LiveTensor[];
  /** Peak bytes of GPU buffers that exist, live or cached (reserved.ts). */
  reservedPeakBytes: number;
  largestBuffer: { tensor: string; bytes: number };
}

/** Zero bytes of every category, in CATEGORIES' order. */
const NO_BYTES = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as ByCategory;

/**
 * Bytes live during one step, per category and in attention scopes: batch-independent bytes, and
 * the size classes with live buffers as (category, class, count) and (class, count) runs.
 */
interface StepBreakdown {
  categoryTerms: Int32Array;
  categoryFixed: Float64Array;
  attentionTerms: Int32Array;
  attentionFixed: number;
}

function floatDtype(l: Liveness): FloatDType {
  if (l.dtypeOverride) return l.dtypeOverride;
  const g = l.graph;
  for (const name of [...g.params, ...g.inputs]) {
    const d = g.info(name).dtype;
    if (d === 'f32' || d === 'f16' || d === 'f64') return d;
  }
  return 'f32';
}

export class GraphPlan {
  private cachedIndex: PeakIndex | null = null;
  private readonly breakdowns = new Map<number, StepBreakdown>();
  private excessBuffer: Float64Array | null = null;
  private sizesBuffer: Float64Array | null = null;
  private categoryBuffer: Float64Array | null = null;
  private allocs: Allocations | null = null;
  private readonly floorTerms: FloorSets | null;

  /**
   * `microSteps`: the plans of the step's other micro-step graphs (gradient accumulation), whose
   * peaks the step's peak includes; this plan is the last micro-step's.
   */
  constructor(
    readonly liveness: Liveness,
    readonly allocator: Allocator,
    readonly floorModel?: FloorModel,
    readonly microSteps: readonly GraphPlan[] = [],
  ) {
    this.floorTerms = floorModel
      ? floorSets(this.liveness, allocator, floorModel, floatDtype(this.liveness))
      : null;
  }

  get graph(): Graph {
    return this.liveness.graph;
  }

  /**
   * Buffer bytes of every buffer at `batch`: one rounding per size class (the peak index's), so
   * the same sizes as rounding every buffer's own bytes, in a fraction of the time under 'bucket'.
   */
  bufferSizes(batch: number): Float64Array {
    const ix = this.index();
    const classSizes = this.classSizes(batch);
    const t = this.liveness.table;
    const sizes = new Float64Array(t.count);
    for (let id = 0; id < t.count; id++) {
      const k = ix.classOf[id]!;
      const bytes = t.bytes[id]!;
      sizes[id] =
        k >= 0
          ? classSizes[k]!
          : bytes.perBatch === 0
            ? ix.fixedOf[id]!
            : bufferBytes(bytes, batch, this.allocator, t.resident[id] === 1);
    }
    return sizes;
  }

  /** The floor at `batch` (null without a floor model): a lower bound of every combination's peak. */
  floorBytes(batch: number): number | null {
    if (!this.floorTerms) return null;
    return floorAt(this.floorTerms, batch, this.allocator);
  }

  /** The other micro-step's plan when its peak at `batch` is higher than this one's, else null. */
  private dominant(batch: number): GraphPlan | null {
    let best: GraphPlan | null = null;
    let bestBytes = this.peakOf(batch).bytes;
    for (const m of this.microSteps) {
      const bytes = m.peakBytes(batch);
      if (bytes > bestBytes) [best, bestBytes] = [m, bytes];
    }
    return best;
  }

  private index(): PeakIndex {
    return (this.cachedIndex ??= buildPeakIndex(this.liveness, this.allocator));
  }

  /** Steps that can hold the peak at some batch (for tests and the bench). */
  get candidateSteps(): number[] {
    return [...this.index().steps];
  }

  /** Buffer bytes of every size class at `batch`. */
  private classSizes(batch: number): Float64Array {
    const ix = this.index();
    const sizes = (this.sizesBuffer ??= new Float64Array(ix.classes.length));
    for (let k = 0; k < ix.classes.length; k++) sizes[k] = bufferBytes(ix.classes[k]!, batch, this.allocator);
    return sizes;
  }

  private peakOf(batch: number, sizes = this.classSizes(batch)): { bytes: number; step: number } {
    const ix = this.index();
    const R = ix.rounded.length;
    const excess = (this.excessBuffer ??= new Float64Array(R));
    for (let r = 0; r < R; r++) {
      const k = ix.rounded[r]!;
      excess[r] = sizes[k]! - exactBytes(ix.classes[k]!, batch);
    }
    let best = -1;
    let bestStep = 0;
    for (let row = 0; row < ix.steps.length; row++) {
      let v = ix.slope[row]! * batch + ix.intercept[row]!;
      for (let r = 0; r < R; r++) v += ix.roundedCounts[row * R + r]! * excess[r]!;
      if (v > best) {
        best = v;
        bestStep = ix.steps[row]!;
      }
    }
    return { bytes: best, step: bestStep };
  }

  /** Peak live bytes at `batch` (of the highest micro-step). */
  peakBytes(batch: number): number {
    let best = this.peakOf(batch).bytes;
    for (const m of this.microSteps) best = Math.max(best, m.peakBytes(batch));
    return best;
  }

  /** Buffers live during `step` (resident ones included). */
  liveDuring(step: number): PlannedBuffer[] {
    return this.liveness.buffers.filter((b) => b.resident || (b.first <= step && step <= b.last));
  }

  private breakdown(live: PlannedBuffer[], size: (b: PlannedBuffer) => number): [ByCategory, ByScope] {
    const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as ByCategory;
    const byScope: ByScope = { attention: 0, other: 0 };
    for (const b of live) {
      const s = size(b);
      byCategory[b.category] += s;
      byScope[b.attention ? 'attention' : 'other'] += s;
    }
    return [byCategory, byScope];
  }

  /** Counts per size class of the buffers live during `step`, per category and scope (cached). */
  private stepBreakdown(step: number): StepBreakdown {
    const cached = this.breakdowns.get(step);
    if (cached) return cached;
    const ix = this.index();
    const K = ix.classes.length;
    const C = CATEGORIES.length;
    const categoryCounts = new Int32Array(C * K);
    const categoryFixed = new Float64Array(C);
    const attentionCounts = new Int32Array(K);
    let attentionFixed = 0;
    const t = this.liveness.table;
    for (let id = 0; id < t.count; id++) {
      if (!t.resident[id] && (t.first[id]! > step || step > t.last[id]!)) continue;
      const c = t.category[id]!;
      const k = ix.classOf[id]!;
      if (k >= 0) {
        categoryCounts[c * K + k]!++;
        if (t.attention[id]) attentionCounts[k]!++;
      } else {
        categoryFixed[c]! += ix.fixedOf[id]!;
        if (t.attention[id]) attentionFixed += ix.fixedOf[id]!;
      }
    }
    const categoryTerms: number[] = [];
    categoryCounts.forEach((count, ck) => {
      if (count) categoryTerms.push(Math.floor(ck / K), ck % K, count);
    });
    const attentionTerms: number[] = [];
    attentionCounts.forEach((count, k) => {
      if (count) attentionTerms.push(k, count);
    });
    const b: StepBreakdown = {
      categoryTerms: Int32Array.from(categoryTerms),
      categoryFixed,
      attentionTerms: Int32Array.from(attentionTerms),
      attentionFixed,
    };
    this.breakdowns.set(step, b);
    return b;
  }

  /** Peak, node at the peak, floor and the breakdown at the peak (of the highest micro-step): no per-op records. */
  summary(batch: number): PeakSummary {
    const d = this.microSteps.length ? this.dominant(batch) : null;
    return d ? { ...d.summary(batch), floorBytes: this.floorBytes(batch) } : this.ownSummary(batch);
  }

  private ownSummary(batch: number): PeakSummary {
    const sizes = this.classSizes(batch);
    const { bytes, step } = this.peakOf(batch, sizes);
    const b = this.stepBreakdown(step);
    // Sums in the order of classes, per category (the terms are in that order): the same bytes
    // as summing every class, whose absent ones add nothing.
    const v = (this.categoryBuffer ??= new Float64Array(CATEGORIES.length));
    v.set(b.categoryFixed);
    const terms = b.categoryTerms;
    for (let t = 0; t < terms.length; t += 3) v[terms[t]!]! += terms[t + 2]! * sizes[terms[t + 1]!]!;
    // A copy of a record with every category (one shape for all), then filled in.
    const byCategory = { ...NO_BYTES };
    for (let c = 0; c < CATEGORIES.length; c++) byCategory[CATEGORIES[c]!] = v[c]!;
    let attention = b.attentionFixed;
    const at = b.attentionTerms;
    for (let t = 0; t < at.length; t += 2) attention += at[t + 1]! * sizes[at[t]!]!;
    return {
      batch,
      peakBytes: bytes,
      peakStep: step,
      peakNode: this.liveness.table.stepName(step),
      floorBytes: this.floorBytes(batch),
      byCategory,
      byScope: { attention, other: bytes - attention },
    };
  }

  /** Bytes of the largest single buffer at `batch` (fast: one rounding per size class). */
  largestBufferBytes(batch: number): number {
    const ix = this.index();
    let best = ix.largestFixed;
    for (const c of ix.classes) best = Math.max(best, bufferBytes(c, batch, this.allocator));
    for (const m of this.microSteps) best = Math.max(best, m.largestBufferBytes(batch));
    return best;
  }

  /** The largest single buffer at `batch` (what maxBufferSize / maxStorageBufferBindingSize bound). */
  largestBuffer(batch: number): { tensor: string; bytes: number } {
    let best = { tensor: '', bytes: 0 };
    const t = this.liveness.table;
    for (let id = 0; id < t.count; id++) {
      const s = bufferBytes(t.bytes[id]!, batch, this.allocator, t.resident[id] === 1);
      if (s > best.bytes) best = { tensor: t.tensor[id]!, bytes: s };
    }
    for (const m of this.microSteps) {
      const other = m.largestBuffer(batch);
      if (other.bytes > best.bytes) best = other;
    }
    return best;
  }

  /** Peak reserved bytes at `batch` (reserved.ts), without the per-op walk of `at`. */
  reservedPeakBytes(batch: number): number {
    const l = this.liveness;
    let best = reservedPeak(l, (this.allocs ??= allocations(l)), this.bufferSizes(batch), this.allocator);
    for (const m of this.microSteps) best = Math.max(best, m.reservedPeakBytes(batch));
    return best;
  }

  /** Everything, per op, of the micro-step at the peak: walks every step at `batch`. */
  at(batch: number): BatchPlan {
    const d = this.microSteps.length ? this.dominant(batch) : null;
    return d ? { ...d.at(batch), floorBytes: this.floorBytes(batch) } : this.ownAt(batch);
  }

  private ownAt(batch: number): BatchPlan {
    const l = this.liveness;
    const sizes = this.bufferSizes(batch);
    const { ops, peakBytes, peakStep } = walkSteps(l, batch, sizes);
    const atPeak = this.liveDuring(peakStep);
    const [byCategory, byScope] = this.breakdown(atPeak, (b) => sizes[b.id]!);
    let largest = { tensor: '', bytes: 0 };
    for (const b of l.buffers)
      if (sizes[b.id]! > largest.bytes) largest = { tensor: b.tensor, bytes: sizes[b.id]! };
    return {
      batch,
      allocator: this.allocator,
      peakBytes,
      peakStep,
      peakNode: l.steps[peakStep]!.name,
      floorBytes: this.floorBytes(batch),
      byCategory,
      byScope,
      ops,
      liveAtPeak: liveTensors(l, atPeak, batch, sizes),
      reservedPeakBytes: reservedPeak(l, (this.allocs ??= allocations(l)), sizes, this.allocator),
      largestBuffer: largest,
    };
  }
}

/** Schedule and liveness of `g` (once), ready to evaluate at any batch. */
export function planGraph(g: Graph, opts: PlanOptions): GraphPlan {
  return new GraphPlan(analyseLiveness(g, opts), opts.allocator, opts.floor);
}

/**
 * The plan of a step that runs several graphs, one per kind of micro-step (models/microStep.ts),
 * the last (the optimizer's) given last: its peak is the highest of theirs, its floor the last's.
 */
export function planMicroSteps(graphs: readonly Graph[], opts: PlanOptions): GraphPlan {
  const last = graphs.at(-1);
  if (!last) throw new Error('planMicroSteps: no graph');
  const others = graphs.slice(0, -1).map((g) => planGraph(g, { ...opts, floor: undefined }));
  return new GraphPlan(analyseLiveness(last, opts), opts.allocator, opts.floor, others);
}

/** The same graph under another allocator (reuses the schedule and liveness). */
export function withAllocator(plan: GraphPlan, allocator: Allocator): GraphPlan {
  return new GraphPlan(
    plan.liveness,
    allocator,
    plan.floorModel,
    plan.microSteps.map((m) => withAllocator(m, allocator)),
  );
}
