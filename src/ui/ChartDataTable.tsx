/** The chart's numbers as a table: visually hidden, read by screen readers and by the end-to-end tests. */
import type { Point } from '../engine/report/schema';
import type { StrategyName as Strategy } from '../engine/vocabulary';

export function ChartDataTable({
  results,
  strategies,
}: {
  results: readonly Point[];
  strategies: readonly Strategy[];
}) {
  const plotted = results
    .filter((p) => p.measured !== null)
    .sort((a, b) => strategies.indexOf(a.strategy) - strategies.indexOf(b.strategy) || a.batch - b.batch);
  return (
    <table className="visually-hidden" data-testid="chart-data">
      <caption>Peak live bytes per measured point</caption>
      <thead>
        <tr>
          <th scope="col">strategy</th>
          <th scope="col">batch</th>
          <th scope="col">peakLiveBytes</th>
        </tr>
      </thead>
      <tbody>
        {plotted.map((p) => (
          <tr
            key={`${p.strategy}-${p.batch}`}
            data-strategy={p.strategy}
            data-batch={p.batch}
            data-peak-live-bytes={p.measured?.peakLiveBytes}
          >
            <td>{p.strategy}</td>
            <td>{p.batch}</td>
            <td>{p.measured?.peakLiveBytes}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
