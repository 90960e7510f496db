/**
 * What a plan worker answers (plan.worker.ts exposes it over comlink; tests expose it over a
 * MessageChannel): one ComboPlanner, its cache kept between requests. Curves come in batches, all
 * that the page asks of this worker at once, and go back in one message; so do warm-ups (planning
 * ahead), a value's combinations at a time: the page's thread handles one message per batch, not a
 * round trip per curve. A batch yields between curves that took time to plan, so that
 * `cancelCurves` (a newer configuration, or a request someone waits for) stops it there.
 */
import { ComboPlanner } from '../engine/explore/planner';
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';

/** One curve of a batch: planned, or why not (the validation message, for the user). */
export type CurveOutcome = { curve: Curve } | { error: { name: string; message: string } };

/** One warm-up of a batch: planned (null), or why not. */
export type WarmOutcome = { name: string; message: string } | null;

/** A curve that took longer than this to plan is followed by a chance to cancel the batch. */
const YIELD_AFTER_MS = 1;

/** Lets the worker read the messages waiting for it (a cancelCurves) before going on. */
function readMessages(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export function planWorkerApi(planner = new ComboPlanner()) {
  /** Bumped by cancelCurves: a batch started under an older value stops. */
  let generation = 0;

  /**
   * The outcomes of `reqs` in order, fewer when cancelCurves stopped the batch. `ahead`: planned
   * ahead, their curves cached and their plans not (planner.ts curve).
   */
  async function batch(reqs: readonly CurveRequest[], ahead: boolean): Promise<CurveOutcome[]> {
    const started = generation;
    const out: CurveOutcome[] = [];
    for (const req of reqs) {
      const t0 = performance.now();
      try {
        out.push({ curve: planner.curve(req, !ahead) });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        out.push({ error: { name: err.name, message: err.message } });
      }
      if (out.length < reqs.length && performance.now() - t0 > YIELD_AFTER_MS) {
        await readMessages();
        if (generation !== started) break;
      }
    }
    return out;
  }

  return {
    /**
     * The batch's curves in order; fewer than asked when cancelCurves stopped it (the rest were
     * not planned).
     */
    curves: (reqs: CurveRequest[]): Promise<CurveOutcome[]> => batch(reqs, false),
    /** Stops the batch being planned (at its next yield): curves or warm-ups. */
    cancelCurves: (): void => {
      generation++;
    },
    /**
     * Plans the curves into the cache and sends back only whether each could be planned (null, or
     * why not); fewer than asked when cancelCurves stopped the batch. Their plans are not cached:
     * the shown configuration's stay (a step, a comparison or a longer curve of it builds nothing).
     */
    warm: async (reqs: CurveRequest[]): Promise<WarmOutcome[]> =>
      (await batch(reqs, true)).map((o) => ('error' in o ? o.error : null)),
    step: (req: StepRequest): StepDetail => planner.step(req),
    compare: (a: StepRequest, b: StepRequest): Comparison => planner.compare(a, b),
    /**
     * The fit advisor over this worker's planner (grown to hold a whole question's plans, so a
     * repeated question is answered from the cache). Loaded on the first question: the curve
     * workers never load it.
     */
    fit: async (req: FitRequest): Promise<FitAnswer> => {
      const { adviseFit, FIT_PLANNER_CAPACITY } = await import('../engine/fit/advisor');
      planner.growTo(FIT_PLANNER_CAPACITY);
      return adviseFit(req, planner);
    },
  };
}

export type PlanWorkerApi = ReturnType<typeof planWorkerApi>;
