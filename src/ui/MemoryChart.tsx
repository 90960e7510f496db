/**
 * Peak live (or reserved) bytes against batch size, one line per strategy. Clicking a point selects it for the ops
 * table. The plotted numbers are also in a visually hidden table (ChartDataTable) for screen readers
 * and tests.
 */
import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
} from 'recharts';
import type { Point } from '../engine/report/schema';
import { STRATEGY_NAMES, type StrategyName as Strategy } from '../engine/vocabulary';
import { samePoint, type PointKey } from '../state/store';
import { ChartDataTable } from './ChartDataTable';
import { byteTicks, formatBytes, formatBytesShort } from './format';
import { useAppState } from './StoreContext';
import { STRATEGY_COLORS } from './strategyColors';

/** One row per batch: { batch, copy?: bytes, view?: bytes }. */
type Row = { batch: number } & Partial<Record<Strategy, number>>;

/** live: bytes of tensors in use; reserved: bytes of buffers the runtime holds (frees lag, pools cache). */
type Metric = 'peakLiveBytes' | 'peakReservedBytes';
const METRICS: Record<Metric, string> = { peakLiveBytes: 'live', peakReservedBytes: 'reserved' };

/** Line styles, so that lines of equal values stay distinguishable. */
const DASHES = ['', '6 4', '2 3', '8 3 2 3'];

function chartRows(results: readonly Point[], metric: Metric): Row[] {
  const rows = new Map<number, Row>();
  for (const p of results) {
    if (!p.measured) continue;
    const row = rows.get(p.batch) ?? { batch: p.batch };
    row[p.strategy] = p.measured[metric];
    rows.set(p.batch, row);
  }
  return [...rows.values()].sort((a, b) => a.batch - b.batch);
}

/** Draws a point as a clickable circle, filled when it is the selected one. */
function renderDot(strategy: Strategy, selected: PointKey | null, select: (key: PointKey) => void) {
  return function renderOneDot({ cx, cy, payload, index }: DotItemDotProps) {
    const row = payload as Row;
    if (cx == null || cy == null || row[strategy] === undefined) return <g key={`${strategy}-${index}`} />;
    const key: PointKey = { strategy, batch: row.batch };
    const isSelected = selected !== null && samePoint(selected, key);
    return (
      <circle
        key={`${strategy}-${index}`}
        className="chart-dot"
        data-strategy={strategy}
        data-batch={row.batch}
        cx={cx}
        cy={cy}
        r={isSelected ? 7 : 5}
        fill={isSelected ? STRATEGY_COLORS[strategy] : '#fff'}
        stroke={STRATEGY_COLORS[strategy]}
        strokeWidth={2}
        onClick={() => select(key)}
      />
    );
  };
}

export function MemoryChart() {
  const results = useAppState((s) => s.results);
  const strategies = useAppState((s) => s.strategies);
  const selected = useAppState((s) => s.selected);
  const select = useAppState((s) => s.select);
  const [metric, setMetric] = useState<Metric>('peakLiveBytes');
  const rows = chartRows(results, metric);
  const batches = rows.map((r) => r.batch);
  // Batches double from point to point, so a log axis spaces them evenly; a lone batch gets room around it.
  const first = batches[0] ?? 1;
  const last = batches.at(-1) ?? first;
  const xDomain: [number, number] = batches.length > 1 ? [first, last] : [first / 2, first * 2];
  const peak = Math.max(0, ...results.map((p) => p.measured?.[metric] ?? 0));
  const yTicks = byteTicks(peak);

  return (
    <figure className="chart" data-testid="memory-chart" data-point-count={rows.length}>
      <figcaption>
        Peak {METRICS[metric]} GPU memory of one training step, by batch size{' '}
        <span className="metric-toggle" role="radiogroup" aria-label="Memory measure">
          {(Object.keys(METRICS) as Metric[]).map((m) => (
            <label key={m} className="inline">
              <input
                type="radio"
                name="metric"
                data-testid={`metric-${METRICS[m]}`}
                checked={metric === m}
                onChange={() => setMetric(m)}
              />{' '}
              {METRICS[m]}
            </label>
          ))}
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart-empty">Press Measure to chart peak memory against batch size.</p>
      ) : (
        <LineChart
          responsive
          style={{ width: '100%', height: 320 }}
          data={rows}
          margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
        >
          <CartesianGrid stroke="#e5e7eb" />
          <XAxis
            dataKey="batch"
            type="number"
            scale="log"
            domain={xDomain}
            ticks={batches}
            tickFormatter={String}
            padding={{ left: 16, right: 16 }}
            label={{ value: 'batch size (log scale)', position: 'insideBottom', offset: -4 }}
            height={40}
          />
          <YAxis
            tickFormatter={formatBytesShort}
            width={80}
            domain={[0, yTicks.at(-1) ?? 0]}
            ticks={yTicks}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? formatBytes(value) : String(value))}
            labelFormatter={(batch) => `batch ${batch}`}
          />
          <Legend
            verticalAlign="top"
            height={28}
            itemSorter={(item) => STRATEGY_NAMES.indexOf(item.value as Strategy)}
          />
          {strategies.map((strategy, i) => (
            <Line
              strokeDasharray={DASHES[i % DASHES.length]}
              key={strategy}
              name={strategy}
              dataKey={strategy}
              type="linear"
              stroke={STRATEGY_COLORS[strategy]}
              strokeWidth={2}
              dot={renderDot(strategy, selected, select)}
              activeDot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
      <ChartDataTable results={results} strategies={strategies} />
    </figure>
  );
}
