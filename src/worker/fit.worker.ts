/// <reference lib="webworker" />
/**
 * The plan pool's fit worker (planPool.ts, fitSlot.ts): a plan worker under its own entry, so that
 * it is told apart from the curve workers (its script is fit.worker-<hash>.js); it answers only
 * the fit advisor's questions, with the plan worker's ComboPlanner.
 */
import './plan.worker';
