/** The planned chart's tooltip and its visually hidden data table. */
import { memo } from 'react';
import { comboKey, type Curve } from '../../engine/explore/types';
import { formatByteCount, formatBytes } from '../format';
import { valueAt, type MeasuredMark, type Metric } from './chartRows';
import { STRATEGY_VAR } from './seriesStyle';

/** Every curve's exact bytes at a batch, and the measured points there against their plan. */
export function PlannedTooltip({
  batch: label,
  curves,
  metric,
  measured,
}: {
  batch: number;
  curves: Curve[];
  metric: Metric;
  measured: MeasuredMark[];
}) {
  const here = measured.filter((m) => m.batch === label);
  return (
    <div className="chart-tooltip">
      <strong>batch {label}</strong>
      <table>
        <tbody>
          {curves.map((c) => {
            const v = valueAt(c, label, metric);
            return (
              <tr key={comboKey(c.combo)}>
                <th scope="row" style={{ color: STRATEGY_VAR[c.combo.strategy] }}>
                  {comboKey(c.combo)}
                </th>
                <td className="num">{v ? `${v.exact ? '' : '≈'}${formatBytes(v.bytes)}` : '—'}</td>
                <td className="num muted-cell">{v?.exact ? formatByteCount(v.bytes) : ''}</td>
              </tr>
            );
          })}
          {here.map((m) => (
            <tr key={`m-${comboKey(m.combo)}`}>
              <th scope="row">◇ {comboKey(m.combo)} measured</th>
              <td className="num">{formatBytes(m.measuredBytes)}</td>
              <td className="num muted-cell">
                planned {formatBytes(m.plannedBytes)} ({formatByteCount(m.measuredBytes - m.plannedBytes)}{' '}
                off)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every curve's max batch and its bytes at the current batch: visually hidden, for screen readers and tests. */
/** Memoised: it redraws with the curves, the batch or the metric. */
export const PlannedChartData = memo(function PlannedChartData({
  curves,
  batch,
  metric,
}: {
  curves: Curve[];
  batch: number;
  metric: Metric;
}) {
  return (
    <table className="visually-hidden" data-testid="planned-chart-data">
      <caption>
        Max batch of each combo, and its planned peak {metric} bytes at batch {batch}
      </caption>
      <thead>
        <tr>
          <th scope="col">combo</th>
          <th scope="col">maxBatch</th>
          <th scope="col">binds</th>
          <th scope="col">budgetMaxBatch</th>
          <th scope="col">limitMaxBatch</th>
          <th scope="col">bytes at batch {batch}</th>
        </tr>
      </thead>
      <tbody>
        {curves.map((c) => {
          const v = valueAt(c, batch, metric);
          const key = comboKey(c.combo);
          return (
            <tr
              key={key}
              data-combo={key}
              data-max-batch={c.maxBatch}
              data-binds={c.binds}
              data-bytes={v?.bytes}
              data-exact={v ? String(v.exact) : undefined}
            >
              <th scope="row">{key}</th>
              <td>{c.maxBatch}</td>
              <td>{c.binds}</td>
              <td>{c.budgetMaxBatch}</td>
              <td>{c.limitMaxBatch}</td>
              <td>{v ? `${v.exact ? '' : '≈'}${v.bytes}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
