/**
 * Which ways of writing the step to plan and compare: a strategy × retention grid of checkboxes
 * (rows: strategies, columns: retentions), each with a one-line tooltip of what it means.
 * Test ids: `combo-<strategy>-<retention>`, `error-combos`.
 */
import {
  RETENTION_NAMES,
  STRATEGY_NAMES,
  type RetentionName,
  type StrategyName,
} from '../../engine/vocabulary';
import { CONTROL_LABELS } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';

export const STRATEGY_TIPS: Record<StrategyName, string> = {
  copy: 'head split/merge as Transpose copies, forward and backward',
  view: 'Reshape views and Einsums read q, k, v in place: no copies',
  fused: 'one fused MultiHeadAttention kernel; backward recomputes the weights',
  chunked: 'queries in chunks; each chunk’s scores recomputed in backward',
};

export const RETENTION_TIPS: Record<RetentionName, string> = {
  minimal: 'backward keeps only what each gradient reads (PyTorch autograd)',
  tape: 'every forward intermediate lives until the step ends (tape AD)',
  checkpoint: 'only block inputs kept; each block recomputed in backward',
};

export function ComboPicker() {
  const combos = useAppState((s) => s.config.combos);
  const error = useAppState((s) => s.errors.combos);
  const toggleCombo = useAppState((s) => s.toggleCombo);
  const on = (strategy: StrategyName, retention: RetentionName) =>
    combos.some((c) => c.strategy === strategy && c.retention === retention);

  return (
    <fieldset className="hr-group" aria-labelledby="combos-title" aria-describedby="error-combos">
      <legend id="combos-title">{CONTROL_LABELS.combos}</legend>
      <table className="hr-combo-grid">
        <thead>
          <tr>
            <td />
            {RETENTION_NAMES.map((r) => (
              <th key={r} scope="col" title={RETENTION_TIPS[r]}>
                {r}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {STRATEGY_NAMES.map((s) => (
            <tr key={s}>
              <th scope="row" title={STRATEGY_TIPS[s]}>
                {s}
              </th>
              {RETENTION_NAMES.map((r) => (
                <td key={r}>
                  <label
                    className="hr-combo"
                    title={`${s}: ${STRATEGY_TIPS[s]}. ${r}: ${RETENTION_TIPS[r]}.`}
                  >
                    <input
                      type="checkbox"
                      data-testid={`combo-${s}-${r}`}
                      checked={on(s, r)}
                      aria-invalid={error ? true : undefined}
                      onChange={() => toggleCombo({ strategy: s, retention: r })}
                    />
                    <span className="hr-visually-hidden">
                      {s} / {r}
                    </span>
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p id="error-combos" data-testid="error-combos" className="hr-error" role="alert">
        {error ?? ''}
      </p>
    </fieldset>
  );
}
