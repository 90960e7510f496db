/** The max-batch list's sentences and per-combo status at the chosen batch, apart from React. */
import { comboKey, type Curve } from '../../engine/explore/types';
import { formatBytes } from '../format';
import { listed, valueAt, type ValueAt } from './chartRows';

/** Where the buffer limits came from: the adapter's own, or WebGPU's guaranteed defaults. */
export type LimitsSource = 'adapter' | 'webgpu-defaults';

export type FitStatus = 'fits' | 'over-budget' | 'over-limit' | 'over-both';

export interface ComboAtBatch {
  key: string;
  curve: Curve;
  /** Planned peak live bytes at the batch (null: the curve does not reach it). */
  peak: ValueAt | null;
  status: FitStatus;
  /** Bytes over the budget (null unless over it and the peak is known). */
  overBy: number | null;
}

export function atBatch(curves: readonly Curve[], batch: number, budgetBytes: number): ComboAtBatch[] {
  return curves.map((curve) => {
    const peak = valueAt(curve, batch, 'live');
    const overBudget = batch > curve.budgetMaxBatch;
    const overLimit = batch > curve.limitMaxBatch;
    const status: FitStatus =
      overBudget && overLimit ? 'over-both' : overBudget ? 'over-budget' : overLimit ? 'over-limit' : 'fits';
    const overBy = overBudget && peak ? Math.max(0, peak.bytes - budgetBytes) : null;
    return { key: comboKey(curve.combo), curve, peak, status, overBy };
  });
}

/** "3.10 GiB", or "≈3.10 GiB" when interpolated between planned batches. */
export function peakText(peak: ValueAt | null): string {
  if (!peak) return 'not planned';
  return `${peak.exact ? '' : '≈'}${formatBytes(peak.bytes)}`;
}

/**
 * The budget's answer: "view/minimal: batch 157 on 6 GB"; with k micro-batches the largest
 * micro-batch, k × it: "view/minimal: 4 × 32 on 6 GB".
 */
export function budgetSentence(curve: Curve, budgetLabel: string, microBatches = 1): string {
  const key = comboKey(curve.combo);
  if (curve.budgetMaxBatch < 1)
    return `${key}: not even ${microBatches > 1 ? 'a micro-batch of 1' : 'batch 1'} fits ${budgetLabel}`;
  return microBatches > 1
    ? `${key}: ${microBatches} × ${curve.budgetMaxBatch} on ${budgetLabel}`
    : `${key}: batch ${curve.budgetMaxBatch} on ${budgetLabel}`;
}

/**
 * The buffer-limit constraint, which binds only measuring here: "measuring in this browser: up to
 * batch 85 — the tensor `x` (160 MiB) exceeds WebGPU's 128 MiB maxStorageBufferBindingSize (default limits)".
 */
export function limitSentence(curve: Curve, source: LimitsSource): string {
  const whose = source === 'adapter' ? "your adapter's" : "WebGPU's";
  const suffix = source === 'adapter' ? "(your adapter's limits)" : '(default limits)';
  const t = curve.limitTensor;
  if (!t) return `measuring in this browser: no single buffer reaches ${whose} buffer limits ${suffix}`;
  const upTo = curve.limitMaxBatch < 1 ? 'not even batch 1' : `up to batch ${curve.limitMaxBatch}`;
  return (
    `measuring in this browser: ${upTo} — the tensor \`${t.tensor}\` (${formatBytes(t.bytes)}) exceeds ` +
    `${whose} ${formatBytes(t.limitBytes)} ${t.limit} ${suffix}`
  );
}

/** The status cell: "fits", "over budget by 1.90 GiB", "over the buffer limit". */
export function statusText(item: ComboAtBatch): string {
  const over = item.overBy !== null ? `over budget by ${formatBytes(item.overBy)}` : 'over budget';
  switch (item.status) {
    case 'fits':
      return 'fits';
    case 'over-budget':
      return over;
    case 'over-limit':
      return 'over the buffer limit';
    case 'over-both':
      return `${over}, and over the buffer limit`;
  }
}

/**
 * Which combos fit the batch: "At batch 64, copy/tape needs 7.90 GiB (over 6 GB); view/minimal
 * (3.10 GiB) and fused/minimal (2.20 GiB) fit."
 */
export function atBatchSentence(items: readonly ComboAtBatch[], batch: number, budgetLabel: string): string {
  if (items.length === 0) return '';
  const fits = items.filter((i) => i.status === 'fits');
  if (fits.length === items.length) {
    return items.length === 1
      ? `At batch ${batch}, ${items[0]?.key} fits ${budgetLabel} (${peakText(items[0]?.peak ?? null)}).`
      : `At batch ${batch}, all ${items.length} fit ${budgetLabel}.`;
  }
  const overBudget = items.filter((i) => i.status === 'over-budget' || i.status === 'over-both');
  const overLimitOnly = items.filter((i) => i.status === 'over-limit');
  const parts: string[] = [];
  if (overBudget.length > 0) {
    parts.push(
      `${listed(overBudget.map((i) => `${i.key} needs ${peakText(i.peak)}`))} (over ${budgetLabel})`,
    );
  }
  if (overLimitOnly.length > 0) {
    const verb = overLimitOnly.length === 1 ? 'has' : 'have';
    parts.push(`${listed(overLimitOnly.map((i) => i.key))} ${verb} a buffer over the limit`);
  }
  if (fits.length === 0) parts.push('none fits');
  else {
    const verb = fits.length === 1 ? 'fits' : 'fit';
    parts.push(`${listed(fits.map((i) => `${i.key} (${peakText(i.peak)})`))} ${verb}`);
  }
  return `At batch ${batch}, ${parts.join('; ')}.`;
}
