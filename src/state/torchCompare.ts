/** A PyTorch memory snapshot's peak beside Headroom's plan of the step on screen, in one sentence. */
import { formatBytes } from '../engine/report/bytes';

export interface PlannedPeak {
  /** "view/minimal" */
  combo: string;
  batch: number;
  peakBytes: number;
}

/** "+2.1%": how far the plan is from PyTorch's peak, relative to PyTorch's; null when PyTorch's is 0. */
export function relativeDifference(plannedBytes: number, torchBytes: number): string | null {
  if (!(torchBytes > 0)) return null;
  const pct = ((plannedBytes - torchBytes) / torchBytes) * 100;
  const rounded = Math.abs(pct) < 0.05 ? 0 : pct;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(1)}%`;
}

/** "PyTorch peaked at 2.41 GiB; Headroom plans 2.46 GiB for view/minimal at batch 64 (+2.1%)". */
export function torchVsPlan(torchPeakBytes: number, plan: PlannedPeak | null): string {
  const torch = `PyTorch peaked at ${formatBytes(torchPeakBytes)}`;
  if (!plan) return `${torch}; Headroom has no step planned to set beside it.`;
  const rel = relativeDifference(plan.peakBytes, torchPeakBytes);
  return `${torch}; Headroom plans ${formatBytes(plan.peakBytes)} for ${plan.combo} at batch ${plan.batch}${rel ? ` (${rel})` : ''}`;
}
