/// <reference lib="webworker" />
/**
 * A plan worker (module worker): one ComboPlanner, its cache kept between requests, exposed over
 * comlink; the pool's fit worker answers the fit advisor's questions with it. It plans only (no onnxruntime-web, no GPU): a configuration that can't be built makes
 * the call reject with the validation message, and the worker goes on.
 */
import { expose } from 'comlink';
import { ComboPlanner } from '../engine/explore/planner';
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';

const planner = new ComboPlanner();

const api = {
  curve: (req: CurveRequest): Curve => planner.curve(req),
  /** The curve planned (its plan cached) and not sent back. */
  warm: (req: CurveRequest): void => void planner.curve(req),
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

export type PlanWorkerApi = typeof api;

expose(api);
