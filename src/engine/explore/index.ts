/** The explore layer: what the page's plan worker answers (curves, one step, two steps compared). */
export { ComboPlanner, specOf, type PlanResult, type PlanSource, type PlannerStats } from './planner';
export {
  planCurve,
  limitMaxBatch,
  curveBatches,
  reservedBatches,
  MAX_CURVE_POINTS,
  MAX_RESERVED_POINTS,
} from './curves';
export { curveEnd } from './curveEnd';
export { stepDetail, liveByStep, NO_OP_TYPE } from './step';
export { compareSteps, alignNodes, comparisonSummary } from './compare';
export { graphKey, planKey, routeKey, hashKey } from './key';
export * from './types';
