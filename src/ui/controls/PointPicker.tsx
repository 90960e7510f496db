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

export function PointPicker() {
  const selected = useAppState((s) => s.selected);
  const compare = useAppState((s) => s.compare);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const select = useAppState((s) => s.select);
  const setCompare = useAppState((s) => s.setCompare);
  if (invalid || !selected) return null;
  return (
    <fieldset className="hr-group hr-points" aria-labelledby="points-title">
      <legend id="points-title">Steps</legend>
      <RefPicker id="step" label="Step shown" value={selected} onChange={select} />
      {compare && (
        <>
          <RefPicker
            id="compare-a"
            label="Compare"
            value={compare.a}
            onChange={(a) => setCompare(a, compare.b)}
          />
          <RefPicker
            id="compare-b"
            label="with"
            value={compare.b}
            onChange={(b) => setCompare(compare.a, b)}
          />
        </>
      )}
    </fieldset>
  );
}
