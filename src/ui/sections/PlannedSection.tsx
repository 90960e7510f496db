/**
 * Memory against batch, planned for every selected combination: the chart, each curve's max
 * batch on the budget (and the browser's buffer limit, apart), and what the planner could not do.
 * Marks `headroom:drawn` each time the chart shows every curve of the current configuration
 * (bench/page.bench.mjs reads it).
 */
import { useCallback, useEffect, useMemo } from 'react';
import { comboKey, type Combo, type Curve } from '../../engine/explore/types';
import { outcomeOf } from '../../engine/report/points';
import { budgetLabel } from '../../state/pageConfig';
import { minBatchOf, planKeyOf } from '../../state/store';
import { useAfterPaint } from '../afterPaint';
import { MetricPicker } from '../controls/ViewOptions';
import { useAppState } from '../StoreContext';
import { MaxBatchList } from '../views/MaxBatchList';
import { PlannedChart, type MeasuredMark } from '../views/PlannedChart';
import { cutCurves, shownEnds } from '../views/shownCurves';

/** One empty list, so that a chart without measured points does not see a new one on every change. */
const NO_MARKS: MeasuredMark[] = [];

/** The measured points of the configuration on screen, as marks on the planned curves. */
function useMeasuredMarks(curves: readonly Curve[]): MeasuredMark[] {
  const measured = useAppState((s) => s.measured);
  const measuredKey = useAppState((s) => s.measuredConfigKey);
  const configKey = useAppState((s) => planKeyOf(s.config));
  const metric = useAppState((s) => s.metric);
  return useMemo(() => {
    if (measuredKey !== configKey || measured.length === 0) return NO_MARKS;
    return measured.flatMap((p): MeasuredMark[] => {
      if (outcomeOf(p) !== 'measured' || !p.measured) return [];
      const curve = curves.find((c) => c.combo.strategy === p.strategy && c.combo.retention === p.retention);
      const planned = curve?.points.find((q) => q.batch === p.batch);
      const plannedBytes =
        metric === 'reserved' ? (planned?.reservedBytes ?? null) : (p.predicted?.peakBytes ?? null);
      return [
        {
          combo: { strategy: p.strategy, retention: p.retention },
          batch: p.batch,
          measuredBytes: metric === 'reserved' ? p.measured.peakReservedBytes : p.measured.peakLiveBytes,
          plannedBytes: plannedBytes ?? planned?.peakBytes ?? 0,
        },
      ];
    });
  }, [measured, measuredKey, configKey, metric, curves]);
}

export function PlannedSection() {
  const combos = useAppState((s) => s.config.combos);
  const byCombo = useAppState((s) => s.curves.byCombo);
  const failed = useAppState((s) => s.curves.failed);
  const pending = useAppState((s) => s.curves.pending);
  const configKey = useAppState((s) => s.curves.configKey);
  const budget = useAppState((s) => s.config.budget);
  const batch = useAppState((s) => s.config.batch);
  const k = useAppState((s) => s.config.microBatches);
  const micro = Number.isInteger(k) && k > 1;
  const metric = useAppState((s) => s.metric);
  const selected = useAppState((s) => s.selected);
  const limitsSource = useAppState((s) => s.limitsSource);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const select = useAppState((s) => s.select);
  const onSelect = useCallback((combo: Combo, b: number) => select({ combo, batch: b }), [select]);

  const curves = useMemo(
    () => combos.flatMap((c) => (byCombo[comboKey(c)] ? [byCombo[comboKey(c)]!] : [])),
    [combos, byCombo],
  );
  // The curves reach past the batch slider's range; the chart shows them up to its own reach, and
  // a batch move that moves no curve's end leaves the chart's curves the same objects.
  const chartBatch = useAppState((s) => s.chartBatch);
  const ends = shownEnds(curves, chartBatch ?? minBatchOf(batch)).join();
  const shown = useMemo(() => cutCurves(curves, ends.split(',').map(Number)), [curves, ends]);
  // The list under the chart follows the batch and the curves in a render of its own, after the
  // frame that shows the chart (afterPaint.ts).
  const list = useAfterPaint(useMemo(() => ({ batch, curves: shown }), [batch, shown]));
  const marks = useMeasuredMarks(curves);
  const complete = !invalid && pending === 0 && curves.length > 0;

  useEffect(() => {
    if (complete) performance.mark('headroom:drawn', { detail: { configKey, batch, curves: curves.length } });
  }, [complete, configKey, batch, curves]);

  const label = budgetLabel(budget.bytes);
  const failures = Object.entries(failed);
  return (
    <section className="panel" aria-labelledby="planned-title" data-testid="planned-section">
      <div className="panel-head">
        <h2 id="planned-title">
          Memory by {micro ? `micro-batch size (${k} per step)` : 'batch size'}, planned
        </h2>
        <MetricPicker />
      </div>
      {invalid ? (
        <p className="muted" data-testid="planned-invalid">
          Fix the setting marked in red to plan: nothing is shown for a configuration that cannot be built.
        </p>
      ) : (
        <>
          <p className="muted" data-testid="planned-status" data-pending={pending}>
            {pending > 0
              ? `Planning ${pending} of ${combos.length} combinations…`
              : `Planned every byte of one training step for ${curves.length} combination${curves.length === 1 ? '' : 's'}: no GPU needed.`}
          </p>
          {curves.length > 0 && (
            <PlannedChart
              curves={shown}
              budgetBytes={budget.bytes}
              budgetLabel={label}
              metric={metric}
              measured={marks}
              selected={selected}
              batch={batch}
              onSelect={onSelect}
              batchLabel={micro ? `micro-batch (×${k} = effective batch)` : undefined}
            />
          )}
          {curves.length > 0 && (
            <MaxBatchList
              curves={list.curves}
              budgetLabel={label}
              budgetBytes={budget.bytes}
              batch={list.batch}
              limitsSource={limitsSource}
              microBatches={micro ? k : 1}
            />
          )}
          {failures.length > 0 && (
            <ul className="hr-error" data-testid="plan-failures">
              {failures.map(([k, message]) => (
                <li key={k} data-combo={k}>
                  {k}: {message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
