import type { FloatDType } from '../graph/types';

/** The score a causal mask gives a future position, per dtype: finite, so softmax stays defined. */
export const MASKED: Record<FloatDType, number> = { f16: -65504, f32: -1e9, f64: -1e9 };
