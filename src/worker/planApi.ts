/**
 * The page's handle on the plan workers (types only: the store imports it without loading any
 * worker code). src/worker/planClient.ts makes one; src/worker/plan.worker.ts answers it.
 */
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';

export type { Comparison, Curve, CurveRequest, StepDetail, StepRequest };
export type { FitAnswer, FitRequest };

export interface PlanApi {
  /**
   * The curves of `reqs`, one promise each, sent to the workers before this returns (one batch per
   * worker, answered in one message): the page asks before it draws the moved control, so the
   * workers plan while it draws. A curve rejects with an Error whose message is for the user when
   * its configuration can't be built.
   */
  curves(reqs: readonly CurveRequest[]): Promise<Curve>[];
  /**
   * Plans `req`'s curve into its worker's cache and answers nothing else (planning ahead: a curve
   * is hundreds of points the page's thread would otherwise have to read, only to drop them).
   */
  warm(req: CurveRequest): Promise<void>;
  step(req: StepRequest): Promise<StepDetail>;
  compare(a: StepRequest, b: StepRequest): Promise<Comparison>;
  /**
   * The fit advisor's answer (engine/fit adviseFit), from a plan worker of its own (started on the
   * first question, its planner's cache kept between questions), so that a question, seconds of
   * planning, never queues a curve behind it. Only the latest question waits: one asked while
   * another waits replaces it (that one rejects with 'Superseded'). Rejects with the validation
   * messages when the request cannot be answered.
   */
  fit(req: FitRequest): Promise<FitAnswer>;
  /**
   * Drops the question waiting and stops the one being answered (its worker stops after the plan
   * in hand and stays, warm, for the next question); both reject with 'Superseded'.
   */
  cancelFit(): void;
  /** Drops requests queued but not started; their promises reject with an error whose name is 'Superseded'. */
  cancelQueued(): void;
  dispose(): void;
}
