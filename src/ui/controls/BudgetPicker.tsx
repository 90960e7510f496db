/** The GPU memory budget: a preset (decimal GB, as GPUs are sold, with GiB beside) or a custom GB value. */
import { BUDGET_PRESETS, CONTROL_LABELS, GB, type BudgetId } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';

export function BudgetPicker() {
  const budget = useAppState((s) => s.config.budget);
  const error = useAppState((s) => s.errors.budget);
  const setBudget = useAppState((s) => s.setBudget);
  const setBudgetGb = useAppState((s) => s.setBudgetGb);
  const custom = budget.id === 'custom';
  const gb = Number.isNaN(budget.bytes) ? '' : Number((budget.bytes / GB).toPrecision(12));

  return (
    <div className={`hr-field${error ? ' hr-invalid' : ''}`}>
      <label htmlFor="budget">{CONTROL_LABELS.budget}</label>{' '}
      <select
        id="budget"
        data-testid="budget"
        value={budget.id}
        aria-describedby="error-budget"
        onChange={(e) => {
          const id = [...BUDGET_PRESETS.map((b) => b.id), 'custom'].find((x) => x === e.currentTarget.value);
          if (id) setBudget(id as BudgetId);
        }}
      >
        {BUDGET_PRESETS.map((b) => (
          <option key={b.id} value={b.id}>
            {b.label}
          </option>
        ))}
        <option value="custom">custom…</option>
      </select>
      {custom && (
        <label className="hr-inline">
          <input
            data-testid="budget-custom"
            className="hr-number"
            type="number"
            min={0}
            step="any"
            value={gb}
            aria-label="Custom memory budget in GB"
            aria-invalid={error ? true : undefined}
            aria-describedby="error-budget"
            onChange={(e) => setBudgetGb(e.currentTarget.valueAsNumber)}
          />{' '}
          GB
        </label>
      )}
      <p id="error-budget" data-testid="error-budget" className="hr-error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}
