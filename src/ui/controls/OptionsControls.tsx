/**
 * Options every plan shares: the chunked strategy's query chunk, the allocator (the training
 * step's options are in TrainingControls).
 */
import { ALLOCATORS, type Allocator } from '../../engine/vocabulary';
import { CONTROL_LABELS, FIELD_MAX, SLIDER_RANGES } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';
import { NumberField } from './NumberField';

const ALLOCATOR_LABELS: Record<Allocator, string> = {
  lazy: 'lazy: a buffer per tensor, exact sizes',
  bucket: 'bucket: onnxruntime’s default, sizes rounded to buckets and cached',
};

export function OptionsControls() {
  const chunk = useAppState((s) => s.config.chunk);
  const allocator = useAppState((s) => s.config.allocator);
  const errors = useAppState((s) => s.errors);
  const setChunk = useAppState((s) => s.setChunk);
  const setAllocator = useAppState((s) => s.setAllocator);

  return (
    <fieldset className="hr-group" aria-labelledby="options-title">
      <legend id="options-title">Options</legend>
      <NumberField
        id="chunk"
        label={CONTROL_LABELS.chunk}
        hint="query rows per chunk of the chunked strategy"
        value={chunk}
        slider={SLIDER_RANGES.chunk}
        min={1}
        max={FIELD_MAX.chunk}
        error={errors.chunk}
        onChange={setChunk}
      />
      <div className="hr-field">
        <label htmlFor="allocator">{CONTROL_LABELS.allocator}</label>{' '}
        <select
          id="allocator"
          data-testid="allocator"
          value={allocator}
          onChange={(e) => {
            const a = ALLOCATORS.find((x) => x === e.currentTarget.value);
            if (a) setAllocator(a);
          }}
        >
          {ALLOCATORS.map((a) => (
            <option key={a} value={a}>
              {ALLOCATOR_LABELS[a]}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
