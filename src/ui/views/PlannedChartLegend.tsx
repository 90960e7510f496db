/**
 * The planned chart's legend: one entry per group of coincident curves ("copy/minimal =
 * view/minimal"), each combo a button that selects it at the current batch (the keyboard's way to
 * pick a curve), then the chart's other marks.
 */
import { memo } from 'react';
import { comboKey, type Combo } from '../../engine/explore/types';
import type { CurveGroup } from './chartRows';
import { LineSwatch } from './seriesStyle';

export interface PlannedChartLegendProps {
  groups: CurveGroup[];
  batch: number;
  budgetLabel: string;
  /** The selected combo's key ("copy/tape"), if any. */
  selectedKey: string | null;
  onSelect(combo: Combo, batch: number): void;
}

/** Memoised: it redraws when the batch or the selected combo changes, not with every chart redraw. */
export const PlannedChartLegend = memo(function PlannedChartLegend({
  groups,
  batch,
  budgetLabel,
  selectedKey,
  onSelect,
}: PlannedChartLegendProps) {
  return (
    <div className="pc-legend">
      <ul aria-label="Combos (select one at the current batch)">
        {groups.map((g) => (
          <li key={g.keys.join('=')} data-group={g.keys.join(' = ')}>
            {g.combos.map((combo, i) => {
              const key = comboKey(combo);
              return (
                <span key={key}>
                  {i > 0 && <span className="pc-equals"> = </span>}
                  <button
                    type="button"
                    className="pc-legend-item"
                    data-combo={key}
                    aria-pressed={selectedKey === key}
                    aria-label={`Select ${key} at batch ${batch}`}
                    onClick={() => onSelect(combo, batch)}
                  >
                    <LineSwatch combo={combo} /> {key}
                  </button>
                </span>
              );
            })}
          </li>
        ))}
      </ul>
      <ul className="pc-legend-marks" aria-label="Other marks">
        <li>
          <svg className="swatch" width="28" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" stroke="var(--floor)" strokeDasharray="1 4" strokeWidth="2" />
          </svg>{' '}
          floor
        </li>
        <li>
          <svg className="swatch" width="28" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" stroke="var(--budget)" strokeDasharray="6 3" strokeWidth="2" />
          </svg>{' '}
          budget ({budgetLabel})
        </li>
        <li>
          <span aria-hidden="true">●</span> max batch (budget binds)
        </li>
        <li>
          <span aria-hidden="true">▲</span> max batch (buffer limit binds)
        </li>
        <li>
          <span aria-hidden="true">◇</span> measured
        </li>
      </ul>
    </div>
  );
});
