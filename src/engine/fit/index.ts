/** The fit advisor: which setups train at an effective batch within a budget, and which is fastest. */
export { adviseFit, FIT_PLANNER_CAPACITY, validateFitRequest } from './advisor';
export { calibrate, measuredTimesOf, UNCALIBRATED, type Calibration } from './calibrate';
export {
  DEFAULT_OPTIMIZER,
  OPTIMIZERS,
  TRAINING_DTYPES,
  type OptimizerName,
  type TrainingDType,
} from '../vocabulary';
export {
  DEFAULT_DEVICE_SPEED,
  deviceSpeed,
  FLOP_RULES,
  nodeCost,
  nodeSeconds,
  rooflineSeconds,
  stepCost,
  type Linear,
  type NodeCost,
} from './cost';
export { paramCount, stepFlops } from './flops';
export {
  changesFromPort,
  closestToPort,
  divisors,
  enumerateSetups,
  PORT_FORM,
  portSetup,
  rankSetups,
  setupLabel,
  type SetupEvaluator,
} from './rank';
export { fitSentences, formatMs } from './sentences';
export { priceSuspects, type SuspectPlans } from './suspects';
export { stepTime } from './time';
export * from './types';
