/**
 * Each combo's largest batch: the budget's answer first, then, named apart, the WebGPU buffer
 * limit that binds only when measuring in this browser; and how each fares at the chosen batch.
 */
import { memo, useMemo } from 'react';
import { type Curve } from '../../engine/explore/types';
import { formatByteCount } from '../format';
import {
  atBatch,
  atBatchSentence,
  budgetSentence,
  limitSentence,
  peakText,
  statusText,
  type LimitsSource,
} from './maxBatchModel';
import { LineSwatch } from './seriesStyle';
import './views.css';

export interface MaxBatchListProps {
  curves: Curve[];
  /** How the page names the budget: "6 GB". */
  budgetLabel: string;
  /** The budget in bytes (for "over budget by X"). */
  budgetBytes: number;
  /** The batch the controls are set to. */
  batch: number;
  limitsSource: LimitsSource;
  /** k: the curves' batch is one of k micro-batches (default 1). */
  microBatches?: number;
}

/** Memoised: it redraws only when its props change (a chart redraw is the page's costliest work). */
export const MaxBatchList = memo(function MaxBatchList({
  curves,
  budgetLabel,
  budgetBytes,
  batch,
  limitsSource,
  microBatches = 1,
}: MaxBatchListProps) {
  const items = useMemo(() => atBatch(curves, batch, budgetBytes), [curves, batch, budgetBytes]);
  const sentence = atBatchSentence(items, batch, budgetLabel);
  return (
    <section className="max-batch" data-testid="max-batch-list" aria-labelledby="mb-title">
      <h3 id="mb-title">
        Largest {microBatches > 1 ? `micro-batch (× ${microBatches} = effective batch)` : 'batch'} on{' '}
        {budgetLabel}
      </h3>
      {curves.length === 0 ? (
        <p className="muted">No planned curves yet.</p>
      ) : (
        <>
          <p className="mb-sentence" aria-live="polite" data-testid="max-batch-sentence">
            {sentence}
          </p>
          <div className="mb-head" aria-hidden="true">
            <span>on the budget</span>
            <span>measuring in this browser (WebGPU buffer limit)</span>
            <span>at batch {batch}</span>
          </div>
          <ul className="mb-list">
            {items.map((item) => (
              <li
                key={item.key}
                className={`mb-row mb-${item.status}`}
                data-combo={item.key}
                data-status={item.status}
                data-budget-max-batch={item.curve.budgetMaxBatch}
                data-limit-max-batch={item.curve.limitMaxBatch}
                data-max-batch={item.curve.maxBatch}
                data-binds={item.curve.binds}
              >
                <span className="mb-budget">
                  <LineSwatch combo={item.curve.combo} width={20} />{' '}
                  {budgetSentence(item.curve, budgetLabel, microBatches)}
                </span>
                <span className="mb-limit">{limitSentence(item.curve, limitsSource)}</span>
                <span className="mb-at" data-peak-bytes={item.peak?.bytes}>
                  <span className="mb-mark" aria-hidden="true">
                    {item.status === 'fits' ? '✓' : '✗'}
                  </span>{' '}
                  <span className="visually-hidden">at batch {batch}: </span>
                  {statusText(item)}
                  <span
                    className="mb-peak"
                    title={
                      item.peak?.exact
                        ? formatByteCount(item.peak.bytes)
                        : 'interpolated between planned batches'
                    }
                  >
                    {' '}
                    — peak {peakText(item.peak)}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
});
