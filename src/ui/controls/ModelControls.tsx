/**
 * The batch and the model: a slider and a number box per field, the activation and the model
 * kind. Errors appear beside the control they concern. MLP ratio, vocabulary and activation do
 * not exist in an attention-only model, so they are disabled for it.
 */
import { ACTIVATIONS } from '../../engine/vocabulary';
import {
  CONTROL_LABELS,
  FIELD_MAX,
  headChoices,
  SLIDER_RANGES,
  type ModelField,
} from '../../state/pageConfig';

export { headChoices };
import { useAppState } from '../StoreContext';
import { NumberField } from './NumberField';

const HINTS: Record<ModelField | 'batch', string> = {
  batch: 'B, sequences per step',
  seq: 'T, tokens per sequence',
  embd: 'C, divisible by the number of heads (the slider steps by them)',
  heads: 'H (the slider offers those that divide C)',
  layers: 'L, transformer blocks',
  mlpRatio: 'hidden width of the MLP, in multiples of C',
  vocab: 'V, tokens the model knows',
};

/**
 * The embedding sizes the slider moves through: multiples of the heads (every value stays valid);
 * the number box accepts any size and explains one that does not divide.
 */
function embdSlider(heads: number): { min: number; max: number; step: number } {
  const { min, max } = SLIDER_RANGES.embd;
  if (!Number.isInteger(heads) || heads < 1 || heads > max) return { ...SLIDER_RANGES.embd, step: 1 };
  return { min: Math.max(heads, Math.ceil(min / heads) * heads), max: max - (max % heads), step: heads };
}

const FIELDS: readonly ModelField[] = ['seq', 'embd', 'heads', 'layers', 'mlpRatio', 'vocab'];
const GPT_ONLY = new Set<ModelField>(['mlpRatio', 'vocab']);

export function ModelControls() {
  const model = useAppState((s) => s.config.model);
  const batch = useAppState((s) => s.config.batch);
  const k = useAppState((s) => s.config.microBatches);
  const errors = useAppState((s) => s.errors);
  const setBatch = useAppState((s) => s.setBatch);
  const setModelField = useAppState((s) => s.setModelField);
  const setActivation = useAppState((s) => s.setActivation);
  const setAttentionOnly = useAppState((s) => s.setAttentionOnly);
  const attnOnly = model.attentionOnly;

  return (
    <fieldset className="hr-group" aria-labelledby="model-title">
      <legend id="model-title">Model and batch</legend>
      <NumberField
        id="batch"
        label={CONTROL_LABELS.batch}
        hint={
          k > 1 && Number.isFinite(k * batch)
            ? `B, sequences per micro-batch (× ${k} = effective batch ${k * batch})`
            : HINTS.batch
        }
        value={batch}
        slider={SLIDER_RANGES.batch}
        min={1}
        max={FIELD_MAX.batch}
        error={errors.batch}
        onChange={setBatch}
      />
      <div className="hr-field" role="radiogroup" aria-labelledby="kind-title">
        <span id="kind-title" className="hr-field-title">
          {CONTROL_LABELS.kind}
        </span>
        <label className="hr-inline">
          <input
            type="radio"
            name="model-kind"
            data-testid="kind-gpt"
            checked={!attnOnly}
            onChange={() => setAttentionOnly(false)}
          />{' '}
          Whole GPT
        </label>
        <label className="hr-inline">
          <input
            type="radio"
            name="model-kind"
            data-testid="kind-attn"
            checked={attnOnly}
            onChange={() => setAttentionOnly(true)}
          />{' '}
          {`Attention only (${Number.isNaN(model.layers) ? 'L' : model.layers} layers)`}
        </label>
      </div>
      {FIELDS.map((f) => (
        <NumberField
          key={f}
          id={f}
          label={CONTROL_LABELS[f]}
          hint={attnOnly && GPT_ONLY.has(f) ? 'not part of an attention-only model' : HINTS[f]}
          value={model[f]}
          slider={f === 'embd' ? embdSlider(model.heads) : SLIDER_RANGES[f]}
          sliderValues={
            f === 'heads' && headChoices(model.embd).length > 1 ? headChoices(model.embd) : undefined
          }
          min={1}
          max={FIELD_MAX[f]}
          error={errors[f]}
          disabled={attnOnly && GPT_ONLY.has(f)}
          onChange={(v) => setModelField(f, v)}
        />
      ))}
      <div className="hr-field">
        <label htmlFor="activation">{CONTROL_LABELS.activation}</label>{' '}
        <select
          id="activation"
          data-testid="activation"
          value={model.activation}
          disabled={attnOnly}
          aria-invalid={errors.activation ? true : undefined}
          aria-describedby="error-activation"
          onChange={(e) => {
            const a = ACTIVATIONS.find((x) => x === e.currentTarget.value);
            if (a) setActivation(a);
          }}
        >
          {ACTIVATIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <p id="error-activation" data-testid="error-activation" className="hr-error" role="alert">
          {errors.activation ?? ''}
        </p>
      </div>
    </fieldset>
  );
}
