/**
 * The page's state: the configuration the user picks, the sweep of (strategy, batch) points it measures
 * through the worker API, and what the views select. Framework-free apart from zustand's vanilla store,
 * so it is unit-tested with a fake HeadroomApi.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  LIMITS,
  validateAttentionConfig,
  type AttentionConfig,
  type ConfigField,
} from '../engine/models/config';
import type { Point } from '../engine/report/schema';
import { outcomeOf, unmeasuredPoint } from '../engine/report/points';
import {
  DEFAULT_CHUNK,
  STRATEGY_NAMES,
  type RetentionName as Retention,
  type StrategyName as Strategy,
} from '../engine/vocabulary';
import type { HeadroomApi, WebGpuProbe } from '../worker/api';

export const DEFAULT_CONFIG: AttentionConfig = { seq: 64, embd: 128, heads: 4 };
export const DEFAULT_BATCH = 4;
/** Batches every sweep measures, whatever the slider says. */
export const BASE_BATCHES: readonly number[] = [1, 2, 4];
/** The strategies measured by default (every one of STRATEGY_NAMES can be picked). */
export const STRATEGIES: readonly Strategy[] = ['copy', 'view'];

/**
 * The batches a sweep measures: the sorted union of the base batches and the slider's value. The base
 * batches give every chart a line to compare against; the slider picks the one batch the user asks about
 * ("will batch 64 fit?"). Values are deduplicated, so slider 2 measures [1, 2, 4] and slider 16 [1, 2, 4, 16].
 */
export function batchesToMeasure(base: readonly number[], batch: number): number[] {
  return [...new Set([...base, batch])].sort((a, b) => a - b);
}

export interface PointKey {
  strategy: Strategy;
  batch: number;
}

export function pointLabel({ strategy, batch }: PointKey): string {
  return `${strategy} @ batch ${batch}`;
}

export function samePoint(a: PointKey, b: PointKey): boolean {
  return a.strategy === b.strategy && a.batch === b.batch;
}

/**
 * The order a sweep visits its points: batch by batch, both strategies at each batch, so the small,
 * fast batches of every strategy come first and the two lines of the chart grow together.
 */
export function sweepOrder(strategies: readonly Strategy[], batches: readonly number[]): PointKey[] {
  return batches.flatMap((batch) => strategies.map((strategy) => ({ strategy, batch })));
}

/**
 * - `idle`: nothing measured yet, or the last sweep was cancelled;
 * - `measuring`: a sweep is running;
 * - `done`: the last sweep measured every point without error;
 * - `error`: the last sweep finished but at least one point failed (its error is in its Point).
 */
export type Status = 'idle' | 'measuring' | 'done' | 'error';

export interface Progress extends PointKey {
  /** 1-based position of the point being measured. */
  index: number;
  total: number;
  /** e.g. "copy @ batch 2". */
  label: string;
}

/** One message per field that is wrong; a field without an entry is fine. */
export type FieldErrors = Partial<Record<ConfigField | 'strategies' | 'chunk', string>>;

/** What the page shows and the user picked. */
export interface AppData {
  config: AttentionConfig;
  /** The batch slider's value; see {@link batchesToMeasure}. */
  batch: number;
  baseBatches: readonly number[];
  /** The strategies the next sweep measures, in STRATEGY_NAMES order. */
  strategies: readonly Strategy[];
  retention: Retention;
  chunk: number;
  /** The current sweep's points, at most one per (strategy, batch), in the order they completed. */
  results: Point[];
  /** The configuration `results` were measured with (the controls may have changed since). */
  measuredConfig: (AttentionConfig & { retention: Retention; chunk: number }) | null;
  status: Status;
  /** The point being measured; null when no sweep runs. */
  progress: Progress | null;
  /** Kept up to date as the user edits, and checked again by `measure()`. */
  errors: FieldErrors;
  /** The point whose ops the table shows. */
  selected: PointKey | null;
  /** null while the probe has not answered. */
  webgpu: WebGpuProbe | null;
  /** Set by `cancel()`; the sweep stops after the point in flight. */
  cancelRequested: boolean;
}

export interface AppActions {
  setConfigField(field: keyof AttentionConfig, value: number): void;
  setBatch(value: number): void;
  toggleStrategy(strategy: Strategy): void;
  setRetention(retention: Retention): void;
  setChunk(value: number): void;
  probe(): Promise<void>;
  /**
   * Validates, then measures every (strategy, batch) point one after another. A new sweep replaces the
   * previous sweep's results; within a sweep a failed point keeps its error and the others still run.
   */
  measure(): Promise<void>;
  /** Stops the sweep after the point in flight. */
  cancel(): void;
  /** Stops the sweep now: the point in flight is abandoned (its worker and device released). */
  abandon(): void;
  select(key: PointKey | null): void;
}

export type AppState = AppData & AppActions;

export type AppStore = StoreApi<AppState>;

function fieldErrors(
  config: AttentionConfig,
  batches: readonly number[],
  strategies: readonly Strategy[],
  chunk: number,
): FieldErrors {
  const errors: FieldErrors = {};
  if (strategies.length === 0) errors.strategies = 'pick at least one strategy to measure';
  if (Number.isNaN(chunk)) errors.chunk = 'chunk needs a value';
  else if (!Number.isInteger(chunk) || chunk < 1)
    errors.chunk = `chunk must be a positive whole number, got ${chunk}`;
  // A chunk longer than the longest sequence is one chunk: the bound is the sequence's.
  else if (chunk > LIMITS.seq.max) errors.chunk = `chunk must be at most ${LIMITS.seq.max}, got ${chunk}`;
  for (const e of validateAttentionConfig(config, batches)) errors[e.field] ??= e.message;
  // An emptied number input reaches the store as NaN; "got NaN" would mean nothing to the user.
  for (const field of ['seq', 'embd', 'heads'] as const) {
    if (Number.isNaN(config[field])) errors[field] = `${field} needs a value`;
  }
  if (batches.some(Number.isNaN)) errors.batch = 'batch needs a value';
  return errors;
}

function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** A Point for a request the API rejected (it promises not to, but a dead worker does). */
function failedPoint(key: PointKey, retention: Retention, err: unknown): Point {
  return unmeasuredPoint({ ...key, retention }, 'rpc', err instanceof Error ? err.message : String(err));
}

function upsert(results: Point[], point: Point): Point[] {
  return [...results.filter((p) => !samePoint(p, point)), point];
}

type SetState = StoreApi<AppState>['setState'];
type GetState = StoreApi<AppState>['getState'];

/**
 * The store's `measure`: validates, then measures every (strategy, batch) point one after another
 * through `api`, keeping each result as it arrives; stops after the point in flight on cancel.
 */
async function measureSweep(api: HeadroomApi, get: GetState, set: SetState): Promise<void> {
  if (get().status === 'measuring') return;
  const { config, baseBatches, batch, strategies, retention, chunk } = get();
  const batches = batchesToMeasure(baseBatches, batch);
  const errors = fieldErrors(config, batches, strategies, chunk);
  set({ errors });
  if (hasErrors(errors)) return;

  const keys = sweepOrder(strategies, batches);
  set({
    status: 'measuring',
    results: [],
    measuredConfig: { ...config, retention, chunk },
    selected: null,
    cancelRequested: false,
  });
  for (const [i, key] of keys.entries()) {
    if (get().cancelRequested) {
      set({ status: 'idle', progress: null, cancelRequested: false });
      return;
    }
    set({ progress: { ...key, index: i + 1, total: keys.length, label: pointLabel(key) } });
    let point: Point;
    try {
      point = await api.measurePoint({ config, strategy: key.strategy, batch: key.batch, retention, chunk });
    } catch (err) {
      point = failedPoint(key, retention, err);
    }
    const { selected } = get();
    set({
      results: upsert(get().results, point),
      // Show the first point that measured, unless the user already picked one.
      selected: selected ?? (point.measured ? key : null),
    });
  }
  // Skipped points (over the device's limits) are not failures: the sweep did what it could.
  const failed = get().results.some((p) => outcomeOf(p) === 'failed');
  set({ status: failed ? 'error' : 'done', progress: null, cancelRequested: false });
}

const INITIAL: AppData = {
  config: DEFAULT_CONFIG,
  batch: DEFAULT_BATCH,
  baseBatches: BASE_BATCHES,
  strategies: STRATEGIES,
  retention: 'minimal',
  chunk: DEFAULT_CHUNK,
  results: [],
  measuredConfig: null,
  status: 'idle',
  progress: null,
  errors: {},
  selected: null,
  webgpu: null,
  cancelRequested: false,
};

export function createAppStore(api: HeadroomApi): AppStore {
  return createStore<AppState>()((set, get) => {
    const revalidate = () => {
      const { config, baseBatches, batch, strategies, chunk } = get();
      set({ errors: fieldErrors(config, batchesToMeasure(baseBatches, batch), strategies, chunk) });
    };

    return {
      ...INITIAL,

      setConfigField(field, value) {
        set({ config: { ...get().config, [field]: value } });
        revalidate();
      },

      setBatch(value) {
        set({ batch: value });
        revalidate();
      },

      toggleStrategy(strategy) {
        const on = new Set(get().strategies);
        if (on.has(strategy)) on.delete(strategy);
        else on.add(strategy);
        set({ strategies: STRATEGY_NAMES.filter((s) => on.has(s)) });
        revalidate();
      },

      setRetention(retention) {
        set({ retention });
      },

      setChunk(value) {
        set({ chunk: value });
        revalidate();
      },

      async probe() {
        try {
          set({ webgpu: await api.probeWebGpu() });
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          set({ webgpu: { available: false, reason: `the WebGPU check failed: ${reason}` } });
        }
        // Without WebGPU nothing can be measured: end the worker rather than keep it idle.
        if (!get().webgpu?.available) api.dispose();
      },

      measure: () => measureSweep(api, get, set),

      cancel() {
        if (get().status === 'measuring') set({ cancelRequested: true });
      },

      abandon() {
        if (get().status !== 'measuring') return;
        set({ cancelRequested: true });
        api.abandon();
      },

      select(key) {
        set({ selected: key });
      },
    };
  });
}
