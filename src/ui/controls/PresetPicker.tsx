/** The model preset: picking one sets every model field; an edited model shows as "custom". */
import { PRESETS, type PresetName } from '../../engine/models/spec';
import { PRESET_NAMES } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';

const DESCRIPTIONS: Record<PresetName, string> = {
  seed: "nanoGPT's char-level Shakespeare model",
  'gpt2-small': 'GPT-2 small (124M)',
  tiny: 'a tiny model, quick to measure',
};

export function PresetPicker() {
  const preset = useAppState((s) => s.config.preset);
  const setPreset = useAppState((s) => s.setPreset);
  return (
    <div className="hr-field">
      <label htmlFor="preset">Model</label>{' '}
      <select
        id="preset"
        data-testid="preset"
        value={preset}
        onChange={(e) => {
          const name = PRESET_NAMES.find((p) => p === e.currentTarget.value);
          if (name) setPreset(name);
        }}
      >
        {PRESET_NAMES.map((p) => {
          const m = PRESETS[p];
          return (
            <option key={p} value={p}>
              {p}: {DESCRIPTIONS[p]} (T {m.seq}, C {m.embd}, {m.layers} layers)
            </option>
          );
        })}
        <option value="custom" disabled={preset !== 'custom'}>
          custom
        </option>
      </select>
    </div>
  );
}
