/**
 * The step timeline's forward/backward/recompute bands: plain SVG rectangles behind the areas, from
 * the timeline's scale. Inside the chart's surface, so its SVG and PNG exports keep them.
 */
import { memo } from 'react';
import { PHASE_VAR } from './seriesStyle';
import type { PhaseBand } from './timelineModel';
import type { TimelineScale } from './timelineScale';

/** Pixels between a band's top and its label. */
const LABEL_OFFSET = 5;

/** Bands wider than `minLabelled` steps get their phase as a label. */
export const PhaseBands = memo(function PhaseBands({
  bands,
  minLabelled,
  scale,
}: {
  bands: readonly PhaseBand[];
  minLabelled: number;
  scale: Pick<TimelineScale, 'plot' | 'x'>;
}) {
  const { plot, x } = scale;
  return (
    <g className="st-phases">
      {bands.map((b) => {
        const x1 = x(b.x1);
        const x2 = x(b.x2);
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
  );
});
