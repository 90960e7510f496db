/**
 * Which step is shown (a combo and a batch) and which two steps are compared. Only the selected
 * combos are offered. Test ids: `step-combo`, `step-batch`, `compare-a-combo`, `compare-a-batch`,
 * `compare-b-combo`, `compare-b-batch`.
 */
import { comboKey, type Combo } from '../../engine/explore/types';
import { MAX_BATCH } from '../../engine/vocabulary';
import type { PointRef } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';

function RefPicker({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: PointRef;
  onChange(r: PointRef): void;
}) {
  const combos = useAppState((s) => s.config.combos);
  const byKey = (k: string): Combo | undefined => combos.find((c) => comboKey(c) === k);
  return (
    <div className="hr-inline-group" role="group" aria-label={label}>
      <span className="hr-field-title">{label}</span>
      <select
        data-testid={`${id}-combo`}
        aria-label={`${label}: strategy / retention`}
        value={comboKey(value.combo)}
        onChange={(e) => {
          const combo = byKey(e.currentTarget.value);
          if (combo) onChange({ ...value, combo });
        }}
      >
        {combos.map((c) => (
          <option key={comboKey(c)} value={comboKey(c)}>
            {comboKey(c)}
          </option>
        ))}
      </select>
      <label className="hr-inline">
        @ batch{' '}
        <input
          data-testid={`${id}-batch`}
          className="hr-number"
          type="number"
          min={1}
          max={MAX_BATCH}
          step={1}
          value={value.batch}
          onChange={(e) => {
            const batch = e.currentTarget.valueAsNumber;
            // A step needs a real batch: ignore an emptied or broken box until it holds one.
            if (Number.isInteger(batch) && batch >= 1 && batch <= MAX_BATCH) onChange({ ...value, batch });
          }}
        />
      </label>
    </div>
  );
}

/** Which step the step view shows. */
export function StepPicker() {
  const selected = useAppState((s) => s.selected);
  const select = useAppState((s) => s.select);
  if (!selected) return null;
  return <RefPicker id="step" label="Step shown" value={selected} onChange={select} />;
}

/** Which two steps the comparison aligns. */
export function ComparePicker() {
  const compare = useAppState((s) => s.compare);
  const setCompare = useAppState((s) => s.setCompare);
  if (!compare) return null;
  return (
    <div className="hr-points">
      <RefPicker
        id="compare-a"
        label="Compare"
        value={compare.a}
        onChange={(a) => setCompare(a, compare.b)}
      />
      <RefPicker id="compare-b" label="with" value={compare.b} onChange={(b) => setCompare(compare.a, b)} />
    </div>
  );
}
