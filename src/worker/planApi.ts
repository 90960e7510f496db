/**
 * The page's handle on the plan workers (types only: the store imports it without loading any
 * worker code). src/worker/planClient.ts makes one; src/worker/plan.worker.ts answers it.
 */
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';

export type { Comparison, Curve, CurveRequest, StepDetail, StepRequest };

export interface PlanApi {
  /** Rejects with an Error whose message is for the user when the configuration can't be built. */
  curve(req: CurveRequest): Promise<Curve>;
  /**
   * Plans `req`'s curve into its worker's cache and answers nothing else (planning ahead: a curve
   * is hundreds of points the page's thread would otherwise have to read, only to drop them).
   */
  warm(req: CurveRequest): Promise<void>;
  step(req: StepRequest): Promise<StepDetail>;
  compare(a: StepRequest, b: StepRequest): Promise<Comparison>;
  /** Drops requests queued but not started; their promises reject with an error whose name is 'Superseded'. */
  cancelQueued(): void;
  dispose(): void;
}
