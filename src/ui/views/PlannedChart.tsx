/**
 * Planned peak memory against batch, one line per combo, with the floor, the budget, the current
 * batch, each combo's max batch and the measured points. Clicking a line (or a legend entry)
 * selects that combo at that batch. The numbers are also in a visually hidden table.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { comboKey, type Combo, type Curve } from '../../engine/explore/types';
import { useAfterPaint } from '../afterPaint';
import { byteTicks } from '../format';
import {
  coincidenceNote,
  coincidentGroups,
  floorSeries,
  log2Ticks,
  maxBatchMarkers,
  maxBytes,
  plannedRows,
  valueAt,
  type MeasuredMark,
  type Metric,
} from './chartRows';
import { ChartMarkers } from './ChartMarkers';
import { BatchMarks, BatchMarksContext, type BatchMarksValue } from './BatchMarks';
import { PlannedAxes } from './PlannedAxes';
import { PlannedChartLegend } from './PlannedChartLegend';
import { PlannedChartData, PlannedTooltip } from './PlannedChartParts';
import { HoverDots, PlannedLines, type LineSeries } from './PlannedLines';
import { tooltipPlace, usePlotHover, useWidth } from './plotHover';
import { linearTicks, PLOT_MARGIN, PlotContext, plotScale } from './plotScale';
import { comboStroke, STRATEGY_VAR } from './seriesStyle';
import './views.css';

export type { MeasuredMark };

export interface PlannedChartProps {
  curves: Curve[];
  budgetBytes: number;
  budgetLabel: string;
  metric: Metric;
  measured: MeasuredMark[];
  selected: { combo: Combo; batch: number } | null;
  /** The batch the controls are set to. */
  batch: number;
  onSelect(combo: Combo, batch: number): void;
  /** What the x axis counts (default "batch size"; "micro-batch (×4 = effective batch)" with k = 4). */
  batchLabel?: string;
}

/** How far past the budget the zoomed memory axis reaches. */
const BUDGET_ZOOM = 1.5;

/** The chart's height, px (its width follows its box). */
const HEIGHT = 360;

/** Memoised: it redraws only when its props change (a chart redraw is the page's costliest work). */
export const PlannedChart = memo(function PlannedChart(props: PlannedChartProps) {
  const { curves, budgetBytes, budgetLabel, metric, measured, selected, batch, onSelect } = props;
  const xName = props.batchLabel ?? 'batch size';
  const [log, setLog] = useState(true);
  /** Zoom the memory axis to the budget (curves far past it otherwise flatten the rest). */
  const [zoomBudget, setZoomBudget] = useState(false);

  const floors = useMemo(() => floorSeries(curves), [curves]);
  const rows = useMemo(() => plannedRows(curves, metric, floors), [curves, metric, floors]);
  const groups = useMemo(() => coincidentGroups(curves, metric), [curves, metric]);
  const markers = useMemo(() => maxBatchMarkers(curves, metric), [curves, metric]);
  /** Coincident lines are drawn widest first, so each shows as a band around the next. */
  const widths = useMemo(() => {
    const w = new Map<string, number>();
    for (const g of groups) g.keys.forEach((k, i) => w.set(k, 2 + 3 * (g.keys.length - 1 - i)));
    return w;
  }, [groups]);

  const fullMax = maxBytes(rows, [budgetBytes, ...measured.map((m) => m.measuredBytes)]);
  const yMax = zoomBudget ? Math.min(fullMax, budgetBytes * BUDGET_ZOOM) : fullMax;
  const yTicks = useMemo(() => byteTicks(yMax), [yMax]);
  const lastBatch = Math.max(rows.at(-1)?.batch ?? 1, batch, 2);
  const xTicks = useMemo(
    () => (log ? log2Ticks(lastBatch).filter((t) => t <= lastBatch) : linearTicks(lastBatch)),
    [log, lastBatch],
  );
  const frameRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useWidth(frameRef);
  const yTop = yTicks.at(-1) ?? 0;
  const scale = useMemo(
    () => plotScale(width, HEIGHT, { log, lastBatch, yMax: yTop }),
    [width, log, lastBatch, yTop],
  );
  // The lines, axes and markers are memoised on what they draw, so that moving the batch slider
  // redraws only the batch line and the selected dot.
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);
  const select = useCallback((combo: Combo, b: number) => onSelectRef.current(combo, b), []);
  const notes = groups.map(coincidenceNote).filter((n): n is string => n !== null);
  const selectedValue = selected
    ? curves.find((c) => comboKey(c.combo) === comboKey(selected.combo))
    : undefined;
  const selectedAt = selected && selectedValue ? valueAt(selectedValue, selected.batch, metric) : null;

  // Each curve and floor line is one SVG path drawn with the chart's scale (PlannedLines.tsx).
  const series = useMemo(
    (): LineSeries[] => [
      ...floors.map((f) => ({
        key: f.key,
        stroke: 'var(--floor)',
        strokeDasharray: '1 4',
        strokeWidth: 1.5,
        strokeOpacity: 1,
      })),
      ...curves.map((c) => {
        const key = comboKey(c.combo);
        const width = widths.get(key) ?? 2;
        return {
          key,
          ...comboStroke(c.combo),
          strokeWidth: width,
          strokeOpacity: width > 2 ? 0.45 : 1,
          combo: c.combo,
        };
      }),
    ],
    [floors, curves, widths],
  );
  const batches = useMemo(() => rows.map((r) => r.batch), [rows]);
  const hover = usePlotHover(scale, batches, batch, svgRef);

  // The legend and the data table follow the batch and the curves in a render of their own, after
  // the frame that shows the chart (afterPaint.ts).
  const parts = useAfterPaint(useMemo(() => ({ batch, curves }), [batch, curves]));
  const partsBatch = parts.batch;
  const partsCurves = parts.curves;
  const partsGroups = useMemo(
    () => (partsCurves === curves ? groups : coincidentGroups(partsCurves, metric)),
    [partsCurves, curves, groups, metric],
  );
  // The batch line and the selected dot follow the batch slider: they take it from a context, so
  // the memoised chart below is not redrawn when only they move (BatchMarks.tsx).
  const selectedBatch = selected?.batch;
  const selectedStrategy = selected?.combo.strategy;
  const selectedBytes = selectedAt?.bytes;
  const marks = useMemo(
    (): BatchMarksValue => ({
      batch,
      selected:
        selectedBatch !== undefined && selectedStrategy !== undefined && selectedBytes !== undefined
          ? { batch: selectedBatch, bytes: selectedBytes, fill: STRATEGY_VAR[selectedStrategy] }
          : null,
    }),
    [batch, selectedBatch, selectedStrategy, selectedBytes],
  );
  const markerCombos = useMemo(() => {
    const combos = new Map(curves.map((c) => [comboKey(c.combo), c.combo]));
    return markers.flatMap((m) => {
      const combo = combos.get(m.key);
      return combo ? [{ ...m, combo }] : [];
    });
  }, [markers, curves]);

  const xLabel = log ? `${xName} (log₂ scale)` : xName;
  const surface = useMemo(
    () =>
      scale && (
        <>
          <PlannedAxes
            scale={scale}
            xTicks={xTicks}
            yTicks={yTicks}
            xLabel={xLabel}
            budgetBytes={budgetBytes}
            budgetLabel={budgetLabel}
          />
          <PlannedLines rows={rows} series={series} />
          <ChartMarkers markers={markerCombos} measured={measured} onSelect={select} />
          <BatchMarks />
        </>
      ),
    [scale, xTicks, yTicks, xLabel, budgetBytes, budgetLabel, rows, series, markerCombos, measured, select],
  );
  const tipX = scale && hover.batch !== null ? scale.x(hover.batch) : null;

  return (
    <figure
      className="chart planned-chart"
      data-testid="planned-chart"
      data-metric={metric}
      aria-labelledby="pc-caption"
    >
      <figcaption id="pc-caption">
        Planned peak {metric} GPU memory of one training step, by {xName}{' '}
        <label className="inline">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.currentTarget.checked)} /> log₂ batch
          axis
        </label>{' '}
        <label className="inline">
          <input
            type="checkbox"
            data-testid="zoom-budget"
            checked={zoomBudget}
            onChange={(e) => setZoomBudget(e.currentTarget.checked)}
          />{' '}
          memory axis up to {BUDGET_ZOOM}× the budget
        </label>
      </figcaption>
      {curves.length === 0 && <p className="chart-empty">No planned curves yet.</p>}
      {/* Hovering (or the arrow keys, with the focus here) shows every curve's bytes at a batch. */}
      <div
        ref={frameRef}
        className="pc-frame"
        style={{ height: curves.length === 0 ? 0 : HEIGHT }}
        tabIndex={curves.length === 0 ? undefined : 0}
        role="group"
        aria-label="Planned chart: the arrow keys show each curve's bytes at a batch, Escape hides them"
        onMouseMove={hover.onMouseMove}
        onMouseLeave={hover.onMouseLeave}
        onKeyDown={hover.onKeyDown}
        onBlur={hover.onBlur}
      >
        {curves.length > 0 && scale && (
          <PlotContext.Provider value={scale}>
            <BatchMarksContext.Provider value={marks}>
              <svg
                ref={svgRef}
                className="chart-surface pc-svg"
                width={width}
                height={HEIGHT}
                role="img"
                aria-labelledby="pc-caption"
              >
                {surface}
                <HoverDots batch={hover.batch} rows={rows} series={series} onSelect={select} />
              </svg>
            </BatchMarksContext.Provider>
          </PlotContext.Provider>
        )}
        {tipX !== null && hover.batch !== null && (
          <div className="pc-tooltip" style={tooltipPlace(tipX, width, PLOT_MARGIN.top)}>
            <PlannedTooltip batch={hover.batch} curves={curves} metric={metric} measured={measured} />
          </div>
        )}
      </div>
      <PlannedChartLegend
        groups={partsGroups}
        batch={partsBatch}
        selectedKey={selected ? comboKey(selected.combo) : null}
        onSelect={onSelect}
        budgetLabel={budgetLabel}
      />
      {notes.map((n) => (
        <p key={n} className="pc-note" role="note">
          {n}
        </p>
      ))}
      <PlannedChartData curves={partsCurves} batch={partsBatch} metric={metric} />
    </figure>
  );
});
