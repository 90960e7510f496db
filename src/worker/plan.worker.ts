/// <reference lib="webworker" />
/**
 * A plan worker (module worker): one ComboPlanner, its cache kept between requests, exposed over
 * comlink. It plans only (no onnxruntime-web, no GPU): a configuration that can't be built makes
 * the call reject with the validation message, and the worker goes on.
 */
import { expose } from 'comlink';
import { ComboPlanner } from '../engine/explore/planner';
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';

const planner = new ComboPlanner();

const api = {
  curve: (req: CurveRequest): Curve => planner.curve(req),
  /** The curve planned (its plan cached) and not sent back. */
  warm: (req: CurveRequest): void => void planner.curve(req),
  step: (req: StepRequest): StepDetail => planner.step(req),
  compare: (a: StepRequest, b: StepRequest): Comparison => planner.compare(a, b),
};

export type PlanWorkerApi = typeof api;

expose(api);
