/**
 * The planned chart's markers: each curve's max batch (a dot where the budget binds, a triangle
 * where the buffer limit does) and the measured points (hollow diamonds, clickable). One component
 * placed with the chart's scale (plotScale.ts).
 */
import { comboKey, type Combo } from '../../engine/explore/types';
import type { MaxBatchMarker, MeasuredMark } from './chartRows';
import { usePlot } from './plotScale';
import { STRATEGY_VAR } from './seriesStyle';

/** Hollow diamond: a measured point. */
function diamond(cx: number, cy: number, r: number): string {
  return `M${cx},${cy - r} L${cx + r},${cy} L${cx},${cy + r} L${cx - r},${cy} Z`;
}

/** Triangle: a max batch the buffer limit binds. */
function triangle(cx: number, cy: number, r: number): string {
  return `M${cx},${cy - r} L${cx + r},${cy + r * 0.8} L${cx - r},${cy + r * 0.8} Z`;
}

export interface ChartMarkersProps {
  /** Each marker with its curve's combination (for its colour). */
  markers: readonly (MaxBatchMarker & { combo: Combo })[];
  measured: readonly MeasuredMark[];
  onSelect(combo: Combo, batch: number): void;
}

/** Drawn inside the planned chart's SVG; markers outside the plot are not drawn. */
export function ChartMarkers({ markers, measured, onSelect }: ChartMarkersProps) {
  const scale = usePlot();
  if (!scale) return null;
  const { x, y, plot } = scale;
  const at = (batch: number, bytes: number): [number, number] | null => {
    const cx = x(batch);
    const cy = y(bytes);
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) return null;
    const inside =
      cx >= plot.x - 0.5 &&
      cx <= plot.x + plot.width + 0.5 &&
      cy >= plot.y - 0.5 &&
      cy <= plot.y + plot.height + 0.5;
    return inside ? [cx, cy] : null;
  };
  return (
    <g className="chart-markers">
      {markers.map((m) => {
        const p = at(m.batch, m.bytes);
        if (!p) return null;
        const [cx, cy] = p;
        const fill = STRATEGY_VAR[m.combo.strategy];
        return (
          <g key={`max-${m.key}`} className="max-marker" data-combo={m.key} data-binds={m.binds}>
            <title>{`${m.key}: max batch ${m.batch} (${m.binds === 'budget' ? 'budget' : 'buffer limit'})`}</title>
            {m.binds === 'budget' ? (
              <circle cx={cx} cy={cy} r={5} fill={fill} stroke="var(--panel)" strokeWidth={1.5} />
            ) : (
              <path d={triangle(cx, cy, 6)} fill={fill} stroke="var(--panel)" strokeWidth={1.5} />
            )}
          </g>
        );
      })}
      {measured.map((m) => {
        const p = at(m.batch, m.measuredBytes);
        if (!p) return null;
        const key = comboKey(m.combo);
        return (
          <path
            key={`measured-${key}-${m.batch}`}
            className="chart-dot measured-marker"
            data-combo={key}
            data-batch={m.batch}
            d={diamond(p[0], p[1], 7)}
            fill="none"
            stroke={STRATEGY_VAR[m.combo.strategy]}
            strokeWidth={2}
            onClick={() => onSelect(m.combo, m.batch)}
          />
        );
      })}
    </g>
  );
}
