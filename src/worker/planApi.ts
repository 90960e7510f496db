import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
export interface PlanApi {
  curve(req: CurveRequest): Promise<Curve>; // rejects with Error(user message) when the config can't be built
  step(req: StepRequest): Promise<StepDetail>;
  compare(a: StepRequest, b: StepRequest): Promise<Comparison>;
  /** Drops requests queued but not started; their promises reject with an error whose name is 'Superseded'. */
  cancelQueued(): void;
  dispose(): void;
}
