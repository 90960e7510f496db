/**
 * Issue 12's training-step names, which the fit advisor needs before vocabulary.ts has them.
 * Imports nothing (like vocabulary.ts).
 */

// CONTRACT: vocabulary.ts declares these (OPTIMIZERS, OptimizerName, TRAINING_DTYPES,
// TrainingDType, DEFAULT_OPTIMIZER); at merge import them from there and delete these copies.
export const OPTIMIZERS = ['none', 'sgd', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const DEFAULT_OPTIMIZER: OptimizerName = 'none';
export const TRAINING_DTYPES = ['f32', 'f16', 'mixed'] as const;
export type TrainingDType = (typeof TRAINING_DTYPES)[number];
