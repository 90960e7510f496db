/**
 * The step timeline's forward/backward/recompute bands, drawn with the chart's own scales as plain
 * SVG rectangles behind the areas (a recharts ReferenceArea each cost a component in its store,
 * re-laid out on every redraw). Inside the chart's surface, so its SVG and PNG exports keep them.
 */
import { usePlotArea, useXAxisScale, ZIndexLayer } from 'recharts';
import { PHASE_VAR } from './seriesStyle';
import type { PhaseBand } from './timelineModel';

/** Pixels between a band's top and its label. */
const LABEL_OFFSET = 5;

/** Rendered as a child of the timeline's ComposedChart. Bands wider than `minLabelled` steps get their phase as a label. */
export function PhaseBands({ bands, minLabelled }: { bands: readonly PhaseBand[]; minLabelled: number }) {
  const x = useXAxisScale();
  const plot = usePlotArea();
  if (!x || !plot) return null;
  return (
    <ZIndexLayer zIndex={-50}>
      <g className="st-phases">
        {bands.map((b) => {
          const x1 = x(b.x1);
          const x2 = x(b.x2);
          if (x1 === undefined || x2 === undefined) return null;
          return (
            <g key={`${b.phase}-${b.x1}`} className="st-phase" data-phase={b.phase}>
              <rect
                x={x1}
                y={plot.y}
                width={Math.max(0, x2 - x1)}
                height={plot.height}
                fill={PHASE_VAR[b.phase]}
              />
              {b.x2 - b.x1 > minLabelled && (
                <text
                  x={(x1 + x2) / 2}
                  y={plot.y + LABEL_OFFSET}
                  textAnchor="middle"
                  dominantBaseline="hanging"
                  fill="var(--muted)"
                >
                  {b.phase}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </ZIndexLayer>
  );
}
