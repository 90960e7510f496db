/**
 * The planned chart's batch line and selected dot: what moves with the batch slider. They read the
 * batch from a context and place themselves with the chart's scale (plotScale.ts), so a move of the
 * batch redraws these few SVG elements and nothing else of the chart (PlannedChart memoises the
 * rest). Drawn inside the chart's SVG, so its SVG and PNG exports include them.
 */
import { createContext, useContext } from 'react';
import { usePlot } from './plotScale';

/** The selected point, in data space: its batch, bytes and colour. */
export interface SelectedMark {
  batch: number;
  bytes: number;
  fill: string;
}

export interface BatchMarksValue {
  /** The batch the controls are set to. */
  batch: number;
  selected: SelectedMark | null;
}

export const BatchMarksContext = createContext<BatchMarksValue | null>(null);

/** Pixels between the batch line and its label. */
const LABEL_OFFSET = 5;

/** Drawn inside the planned chart's SVG. */
export function BatchMarks() {
  const marks = useContext(BatchMarksContext);
  const scale = usePlot();
  if (!marks || !scale) return null;
  const { x, y, plot } = scale;
  const inX = (px: number | undefined): px is number =>
    px !== undefined && Number.isFinite(px) && px >= plot.x - 0.5 && px <= plot.x + plot.width + 0.5;
  const lineX = x(marks.batch);
  const { selected } = marks;
  const dotX = selected ? x(selected.batch) : undefined;
  const dotY = selected ? y(selected.bytes) : undefined;
  const dotShown =
    selected && inX(dotX) && dotY !== undefined && dotY >= plot.y - 0.5 && dotY <= plot.y + plot.height + 0.5;
  return (
    <>
      {inX(lineX) && (
        <g className="batch-line" data-testid="batch-line" data-batch={marks.batch}>
          <line x1={lineX} x2={lineX} y1={plot.y} y2={plot.y + plot.height} stroke="var(--current)" />
          <text
            x={lineX + LABEL_OFFSET}
            y={plot.y + LABEL_OFFSET}
            dominantBaseline="hanging"
            fill="var(--current)"
          >
            batch {marks.batch}
          </text>
        </g>
      )}
      {dotShown && (
        <circle
          className="selected-dot"
          data-testid="selected-dot"
          data-batch={selected.batch}
          cx={dotX}
          cy={dotY}
          r={7}
          fill={selected.fill}
          stroke="var(--fg)"
          strokeWidth={2}
        />
      )}
    </>
  );
}
