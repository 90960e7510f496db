/**
 * The fit advisor's panel state: which setups (strategy × retention × dtype × micro-batch) train
 * the page's model at an effective batch within the page's budget, asked of the plan pool's fit
 * worker (never the page's thread) once the controls settle and the curves are in, a stale answer
 * never replacing a newer one; and the question in flight stopped as soon as it is stale, so its
 * seconds of planning never compete with the sliders.
 */
import type { FitAnswer, FitRequest, Setup } from '../engine/fit/types';
import { MAX_BATCH, TRAINING_DTYPES, type DeviceLimits, type TrainingDType } from '../engine/vocabulary';
import type { PlanApi } from '../worker/planApi';
import { canonicalCombos, hasErrors, type ControlErrors, type PageConfig, type PointRef } from './pageConfig';

export interface FitState {
  /** The effective batch typed in the panel; null: the page's batch × micro-batches. */
  batch: number | null;
  /** 'loading': asked (or waiting for the controls to settle); the previous answer stays meanwhile. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  answer: FitAnswer | null;
  error: string | null;
}

export const IDLE_FIT: FitState = { batch: null, status: 'idle', answer: null, error: null };

/** The label of the panel's effective-batch box, as its messages name it. */
export const FIT_BATCH_LABEL = 'Effective batch';

/** The dtypes every question tries (what `headroom fit` tries by default); the page's own is added. */
export const FIT_DTYPES: readonly TrainingDType[] = ['f32', 'mixed'];

/** FIT_DTYPES and the page's dtype, in TRAINING_DTYPES order. */
export function fitDtypesOf(dtype: TrainingDType): TrainingDType[] {
  return TRAINING_DTYPES.filter((d) => FIT_DTYPES.includes(d) || d === dtype);
}

/** The effective batch asked: the panel's own, else the page's batch × micro-batches. */
export function fitBatchOf(fit: Pick<FitState, 'batch'>, c: PageConfig): number {
  return fit.batch ?? c.batch * c.microBatches;
}

/** "Effective batch needs a value" / "... must be a whole number between 1 and 1048576", or null. */
export function fitBatchError(batch: number): string | null {
  if (Number.isNaN(batch)) return `${FIT_BATCH_LABEL} needs a value`;
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH)
    return `${FIT_BATCH_LABEL} must be a whole number between 1 and ${MAX_BATCH}`;
  return null;
}

/** The question the panel asks for the page's configuration. */
export function fitRequestOf(c: PageConfig, limits: DeviceLimits, effectiveBatch: number): FitRequest {
  return {
    model: { ...c.model },
    chunk: c.chunk,
    loss: c.loss,
    lossChunk: c.lossChunk,
    budgetBytes: c.budget.bytes,
    effectiveBatch,
    optimizer: c.optimizer,
    dtypes: fitDtypesOf(c.dtype),
    allocator: c.allocator,
    limits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    },
  };
}

/**
 * The page with a setup applied: its combination selected (added to those compared) and shown,
 * its dtype, its k micro-batches of b (the batch slider at b, so the effective batch stays k·b).
 */
export function withSetup(c: PageConfig, s: Setup): { config: PageConfig; selected: PointRef } {
  const combo = { strategy: s.strategy, retention: s.retention };
  return {
    config: {
      ...c,
      combos: canonicalCombos([...c.combos, combo]),
      dtype: s.dtype,
      microBatches: s.microBatches,
      batch: s.microBatch,
    },
    selected: { combo, batch: s.microBatch },
  };
}

/** What the runner reads of the page's state. */
export interface FitInputs {
  config: PageConfig;
  errors: ControlErrors;
  limits: DeviceLimits;
  fit: FitState;
  curves: { pending: number };
}

export interface FitRunnerDeps {
  plan: PlanApi;
  get: () => FitInputs;
  set: (patch: { fit: FitState }) => void;
  /** How long the controls must rest before a question is asked (ms). */
  delayMs: number;
}

const superseded = (err: unknown): boolean => err instanceof Error && err.name === 'Superseded';

/** Keeps the panel's answer up to date with the page: call `sync` after every change. */
export function createFitRunner({ plan, get, set, delayMs }: FitRunnerDeps): { sync(): void } {
  /** The question asked or about to be ('' when none: the configuration cannot be asked about). */
  let asked = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const patch = (p: Partial<FitState>) => set({ fit: { ...get().fit, ...p } });

  function ask(key: string, req: FitRequest): void {
    if (asked !== key) return;
    // The curves of a change come first: the question waits until they are in.
    if (get().curves.pending > 0) {
      timer = setTimeout(() => ask(key, req), Math.max(delayMs, 20));
      return;
    }
    plan.fit(req).then(
      (answer) => {
        if (asked === key) patch({ status: 'ready', answer, error: null });
      },
      (err: unknown) => {
        if (asked !== key) return;
        if (superseded(err)) return ask(key, req);
        patch({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  function stop(): void {
    clearTimeout(timer);
    if (asked !== '') plan.cancelFit();
    asked = '';
  }

  return {
    sync() {
      const s = get();
      const batch = fitBatchOf(s.fit, s.config);
      if (hasErrors(s.errors) || fitBatchError(batch) !== null) {
        stop();
        if (s.fit.status !== 'idle' || s.fit.answer) patch({ status: 'idle', answer: null, error: null });
        return;
      }
      const req = fitRequestOf(s.config, s.limits, batch);
      const key = JSON.stringify(req);
      if (key === asked) return;
      stop();
      asked = key;
      patch({ status: 'loading', error: null });
      timer = setTimeout(() => ask(key, req), delayMs);
    },
  };
}
