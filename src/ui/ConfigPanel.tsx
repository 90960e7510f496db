/** The attention layer and batch the user asks about. Errors appear beside the control they concern. */
import { LIMITS } from '../engine/models/config';
import { batchesToMeasure } from '../state/store';
import { SliderField } from './SliderField';
import { useAppState } from './StoreContext';

export function ConfigPanel() {
  const config = useAppState((s) => s.config);
  const batch = useAppState((s) => s.batch);
  const baseBatches = useAppState((s) => s.baseBatches);
  const errors = useAppState((s) => s.errors);
  const measuring = useAppState((s) => s.status === 'measuring');
  const setConfigField = useAppState((s) => s.setConfigField);
  const setBatch = useAppState((s) => s.setBatch);
  const batches = batchesToMeasure(baseBatches, batch).filter(Number.isFinite);

  return (
    <form className="panel config" aria-labelledby="config-title" onSubmit={(e) => e.preventDefault()}>
      <h2 id="config-title">Configuration</h2>
      {/* Locked while a sweep runs: the sweep measures the values it started with. */}
      <fieldset disabled={measuring}>
        <SliderField
          id="batch"
          label="Batch size"
          hint={`B · the sweep measures batches ${batches.join(', ')}`}
          value={batch}
          slider={{ min: LIMITS.batch.min, max: LIMITS.batch.max, step: 1 }}
          min={LIMITS.batch.min}
          max={LIMITS.batch.max}
          error={errors.batch}
          onChange={setBatch}
        />
        <SliderField
          id="heads"
          label="Heads"
          hint="H"
          value={config.heads}
          slider={{ min: 1, max: 16, step: 1 }}
          min={LIMITS.heads.min}
          max={LIMITS.heads.max}
          error={errors.heads}
          onChange={(v) => setConfigField('heads', v)}
        />
        <SliderField
          id="seq"
          label="Sequence length"
          hint="T, tokens per sequence"
          value={config.seq}
          slider={{ min: 8, max: 512, step: 8 }}
          min={LIMITS.seq.min}
          max={LIMITS.seq.max}
          error={errors.seq}
          onChange={(v) => setConfigField('seq', v)}
        />
        <SliderField
          id="embd"
          label="Embedding size"
          hint="C, divisible by the number of heads"
          value={config.embd}
          slider={{ min: 8, max: 1024, step: 8 }}
          min={LIMITS.embd.min}
          max={LIMITS.embd.max}
          error={errors.embd}
          onChange={(v) => setConfigField('embd', v)}
        />
      </fieldset>
    </form>
  );
}
