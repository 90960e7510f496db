/**
 * The setups of an effective batch, which fit, and their order: every strategy × retention × dtype
 * × micro-batch b dividing E; a setup fits when its peak is within the budget and its largest
 * tensor within the device's buffer limit; fitting setups are ranked by expected step time. What a
 * setup's plan says comes from a `SetupEvaluator` (the planner in advisor.ts, a fake in tests).
 */
import { bufferLimit, type DeviceLimits, type RetentionName, type StrategyName } from '../vocabulary';
import type { TrainingDType } from '../vocabulary';
import type { FitSetup, NextMicroBatch, OverLimit, Setup, SetupEvaluation } from './types';

/** The ported code's form: copying permutes, a tape, f32, the whole batch at once. */
export const PORT_FORM = { strategy: 'copy', retention: 'tape', dtype: 'f32' } as const satisfies Pick<
  Setup,
  'strategy' | 'retention' | 'dtype'
>;

/** The port at effective batch `e`. */
export const portSetup = (e: number): Setup => ({ ...PORT_FORM, microBatch: e, microBatches: 1 });

/** Every divisor of `n`, ascending. */
export function divisors(n: number): number[] {
  const low: number[] = [];
  const high: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    low.push(d);
    if (d * d !== n) high.unshift(n / d);
  }
  return [...low, ...high];
}

/** Every setup of effective batch `e`: strategies outermost, then retentions, dtypes, micro-batches ascending. */
export function enumerateSetups(
  e: number,
  strategies: readonly StrategyName[],
  retentions: readonly RetentionName[],
  dtypes: readonly TrainingDType[],
): Setup[] {
  const bs = divisors(e);
  return strategies.flatMap((strategy) =>
    retentions.flatMap((retention) =>
      dtypes.flatMap((dtype) =>
        bs.map((microBatch) => ({ strategy, retention, dtype, microBatch, microBatches: e / microBatch })),
      ),
    ),
  );
}

/** "view/minimal, f32, 64" or "view/minimal, mixed, 4×16" (k micro-batches of b). */
export function setupLabel(s: Setup): string {
  const batch = s.microBatches === 1 ? `${s.microBatch}` : `${s.microBatches}×${s.microBatch}`;
  return `${s.strategy}/${s.retention}, ${s.dtype}, ${batch}`;
}

/** What differs from the port, in words: "strategy copy → view", "4 micro-batches of 16". */
export function changesFromPort(s: Setup): string[] {
  const changes: string[] = [];
  if (s.strategy !== PORT_FORM.strategy) changes.push(`strategy ${PORT_FORM.strategy} → ${s.strategy}`);
  if (s.retention !== PORT_FORM.retention) changes.push(`retention ${PORT_FORM.retention} → ${s.retention}`);
  if (s.dtype !== PORT_FORM.dtype) changes.push(`dtype ${PORT_FORM.dtype} → ${s.dtype}`);
  if (s.microBatches > 1) changes.push(`${s.microBatches} micro-batches of ${s.microBatch}`);
  return changes;
}

export const setupKey = (s: Setup): string => `${s.strategy}/${s.retention}|${s.dtype}|${s.microBatch}`;

export type SetupEvaluator = (setup: Setup) => SetupEvaluation;

/** `evaluate`, each setup evaluated once. */
export function memoised(evaluate: SetupEvaluator): SetupEvaluator {
  const seen = new Map<string, SetupEvaluation>();
  return (s) => {
    const key = setupKey(s);
    let e = seen.get(key);
    if (!e) seen.set(key, (e = evaluate(s)));
    return e;
  };
}

export interface FitLimits {
  budgetBytes: number;
  limits: DeviceLimits;
}

function overLimitOf(ev: SetupEvaluation, limits: DeviceLimits): OverLimit | null {
  const cap = bufferLimit(limits);
  return ev.largestBuffer.bytes > cap.bytes
    ? {
        tensor: ev.largestBuffer.tensor,
        bytes: ev.largestBuffer.bytes,
        limit: cap.name,
        limitBytes: cap.bytes,
      }
    : null;
}

/** What stops the next divisor of E above the setup's micro-batch (null when b = E). */
function nextMicroBatch(
  s: Setup,
  evaluate: SetupEvaluator,
  { budgetBytes, limits }: FitLimits,
): NextMicroBatch | null {
  const e = s.microBatch * s.microBatches;
  const next = divisors(e).find((d) => d > s.microBatch);
  if (next === undefined) return null;
  const ev = evaluate({ ...s, microBatch: next, microBatches: e / next });
  const overLimit = overLimitOf(ev, limits);
  const binds = overLimit ? 'buffer-limit' : ev.peakBytes > budgetBytes ? 'budget' : null;
  return { microBatch: next, peakBytes: ev.peakBytes, binds, overLimit };
}

/** One setup judged: fits or not and why, headroom, what binds the next micro-batch, time, changes. */
export function judgeSetup(s: Setup, evaluate: SetupEvaluator, fit: FitLimits): FitSetup {
  const ev = evaluate(s);
  const overLimit = overLimitOf(ev, fit.limits);
  const overBudget = ev.peakBytes > fit.budgetBytes;
  return {
    ...s,
    fits: !overBudget && !overLimit,
    peakBytes: ev.peakBytes,
    headroomBytes: fit.budgetBytes - ev.peakBytes,
    largestBuffer: ev.largestBuffer,
    overBudget,
    overLimit,
    next: nextMicroBatch(s, evaluate, fit),
    time: ev.time,
    changes: changesFromPort(s),
  };
}

/** Fitting setups fastest first (then smallest peak); the others smallest peak first. */
export function rankSetups(
  setups: readonly Setup[],
  evaluate: SetupEvaluator,
  fit: FitLimits,
): { fitting: FitSetup[]; notFitting: FitSetup[] } {
  const once = memoised(evaluate);
  const judged = setups.map((s) => judgeSetup(s, once, fit));
  const fitting = judged
    .filter((s) => s.fits)
    .sort((a, b) => a.time.ms - b.time.ms || a.peakBytes - b.peakBytes);
  const notFitting = judged.filter((s) => !s.fits).sort((a, b) => a.peakBytes - b.peakBytes);
  return { fitting, notFitting };
}

/** The fitting setups with the fewest changes from the port, in the order given (fastest first). */
export function closestToPort(fitting: readonly FitSetup[]): FitSetup[] {
  if (fitting.length === 0) return [];
  const fewest = Math.min(...fitting.map((s) => s.changes.length));
  return fitting.filter((s) => s.changes.length === fewest);
}
