/**
 * What a plan worker answers (plan.worker.ts exposes it over comlink; tests expose it over a
 * MessageChannel): one ComboPlanner, its cache kept between requests. Curves come in batches, all
 * that the page asks of this worker at once, and go back in one message: a batch of values planned
 * ahead costs the page's thread one message, not one round trip per curve. A batch yields between
 * curves that took time to plan, so that `cancelCurves` (a newer configuration) stops it there.
 */
import { ComboPlanner } from '../engine/explore/planner';
import type { Comparison, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';
import { toWire, type WireCurve } from './curveWire';
import { supersededError } from './superseded';

/** Why a fit question stopped by cancelFit rejects. */
const STOPPED = 'the fit question was stopped: a newer one replaces it';

/**
 * One curve of a batch: planned (its points as columns, curveWire.ts), or why not (the validation
 * message, for the user).
 */
export type CurveOutcome = { wire: WireCurve } | { error: { name: string; message: string } };

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
  /** Bumped by cancelFit: a question started under an older value stops. */
  let fitGeneration = 0;
  return {
    /**
     * The batch's curves in order; fewer than asked when cancelCurves stopped it (the rest were
     * not planned).
     */
    curves: async (reqs: CurveRequest[]): Promise<CurveOutcome[]> => {
      const started = generation;
      const out: CurveOutcome[] = [];
      for (const req of reqs) {
        const t0 = performance.now();
        try {
          out.push({ wire: toWire(planner.curve(req)) });
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
    },
    /** Stops the batch being planned (at its next yield). */
    cancelCurves: (): void => {
      generation++;
    },
    /**
     * The curve planned into the cache and not sent back. Its plan is not cached: the shown
     * configuration's plans stay (a step, a comparison or a longer curve of it builds nothing).
     */
    warm: (req: CurveRequest): void => {
      planner.curve(req, false);
    },
    step: (req: StepRequest): StepDetail => planner.step(req),
    compare: (a: StepRequest, b: StepRequest): Comparison => planner.compare(a, b),
    /**
     * The fit advisor over this worker's planner (grown to hold a whole question's plans, so a
     * repeated question is answered from the cache). Loaded on the first question: the curve
     * workers never load it.
     */
    fit: async (req: FitRequest): Promise<FitAnswer> => {
      const started = fitGeneration;
      const { adviseFit, fitPlanRequests, FIT_PLANNER_CAPACITY } = await import('../engine/fit/advisor');
      planner.growTo(FIT_PLANNER_CAPACITY);
      // One plan a task (fitPlanRequests says why), stopping between two when cancelFit came; a
      // plan that fails fails again, worded, in adviseFit.
      for (const { config, combo } of fitPlanRequests(req)) {
        if (fitGeneration !== started) throw supersededError(STOPPED);
        try {
          planner.plan(config, combo);
        } catch {
          // adviseFit reports it.
        }
        await readMessages();
      }
      if (fitGeneration !== started) throw supersededError(STOPPED);
      return adviseFit(req, planner);
    },
    /** Stops the fit question being answered (at its next plan). */
    cancelFit: (): void => {
      fitGeneration++;
    },
  };
}

export type PlanWorkerApi = ReturnType<typeof planWorkerApi>;
