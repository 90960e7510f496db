/** How the views tell series apart: colour by strategy, dash by retention, a colour per category and phase. */
import { memo } from 'react';
import type { Combo } from '../../engine/explore/types';
import type { Category, Phase, RetentionName, StrategyName } from '../../engine/vocabulary';

/** CSS variables (theme.css), so SVG strokes and fills follow the light or dark theme. */
export const STRATEGY_VAR: Record<StrategyName, string> = {
  copy: 'var(--series-copy)',
  view: 'var(--series-view)',
  fused: 'var(--series-fused)',
  chunked: 'var(--series-chunked)',
};

/** SVG stroke-dasharray per retention: solid, long dashes, dots. */
export const RETENTION_DASH: Record<RetentionName, string> = {
  minimal: '',
  tape: '8 4',
  checkpoint: '2 3',
};

export const CATEGORY_VAR: Record<Category, string> = {
  parameter: 'var(--cat-parameter)',
  constant: 'var(--cat-constant)',
  input: 'var(--cat-input)',
  activation: 'var(--cat-activation)',
  temporary: 'var(--cat-temporary)',
  gradient: 'var(--cat-gradient)',
  'optimizer state': 'var(--cat-optimizer-state)',
  output: 'var(--cat-output)',
};

export const PHASE_VAR: Record<Phase, string> = {
  forward: 'var(--phase-forward)',
  backward: 'var(--phase-backward)',
  recompute: 'var(--phase-recompute)',
};

export function comboStroke(combo: Combo): { stroke: string; strokeDasharray: string } {
  return { stroke: STRATEGY_VAR[combo.strategy], strokeDasharray: RETENTION_DASH[combo.retention] };
}

/** A short line in a combo's colour and dash, for legends (memoised: legends redraw with the batch). */
export const LineSwatch = memo(function LineSwatch({ combo, width = 28 }: { combo: Combo; width?: number }) {
  const { stroke, strokeDasharray } = comboStroke(combo);
  return (
    <svg className="swatch" width={width} height="10" aria-hidden="true">
      <line
        x1="0"
        y1="5"
        x2={width}
        y2="5"
        stroke={stroke}
        strokeDasharray={strokeDasharray}
        strokeWidth="3"
      />
    </svg>
  );
});
