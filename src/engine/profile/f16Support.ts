/**
 * f16 compute needs the adapter's `shader-f16` feature: a step of dtype `f16` or `mixed` on an
 * adapter without it cannot run (its shaders do not compile). Said before running, in one place
 * for the CLI and the page.
 */
import type { TrainingDType } from '../vocabulary';

export const SHADER_F16 = 'shader-f16';

/** Why a step of `dtype` cannot run on an adapter with `features`, or null when it can. */
export function f16Refusal(
  dtype: TrainingDType | 'f64',
  features: readonly string[],
  adapter: string,
): string | null {
  if (dtype !== 'f16' && dtype !== 'mixed') return null;
  if (features.includes(SHADER_F16)) return null;
  return `dtype ${dtype} needs the adapter's ${SHADER_F16} feature (f16 compute); ${adapter || 'this adapter'} has none`;
}
