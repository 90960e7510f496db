/** Which attention strategies to compare, under which retention policy. */
import { LIMITS } from '../engine/models/config';
import { RETENTION_NAMES, STRATEGY_NAMES, type RetentionName as Retention } from '../engine/vocabulary';
import { SliderField } from './SliderField';
import { useAppState } from './StoreContext';

const RETENTION_HINTS: Record<Retention, string> = {
  minimal: 'backward keeps only what each gradient reads (PyTorch autograd)',
  tape: 'every forward intermediate lives until the step ends (tape/closure AD)',
  checkpoint: 'only block inputs are kept; forward recomputed in backward',
};

export function MethodPanel() {
  const strategies = useAppState((s) => s.strategies);
  const retention = useAppState((s) => s.retention);
  const chunk = useAppState((s) => s.chunk);
  const errors = useAppState((s) => s.errors);
  const measuring = useAppState((s) => s.status === 'measuring');
  const toggleStrategy = useAppState((s) => s.toggleStrategy);
  const setRetention = useAppState((s) => s.setRetention);
  const setChunk = useAppState((s) => s.setChunk);

  return (
    <form className="panel config" aria-labelledby="method-title" onSubmit={(e) => e.preventDefault()}>
      <h2 id="method-title">Attention and retention</h2>
      <fieldset disabled={measuring}>
        <div className="field">
          <span className="field-title">Strategies</span>
          <div className="checks">
            {STRATEGY_NAMES.map((s) => (
              <label key={s} className="inline">
                <input
                  type="checkbox"
                  data-testid={`strategy-${s}`}
                  checked={strategies.includes(s)}
                  onChange={() => toggleStrategy(s)}
                />{' '}
                {s}
              </label>
            ))}
          </div>
          <p data-testid="error-strategies" className="field-error" role="alert">
            {errors.strategies ?? ''}
          </p>
        </div>
        <div className="field">
          <label className="field-title" htmlFor="retention">
            Retention
          </label>{' '}
          <select
            id="retention"
            data-testid="retention"
            value={retention}
            onChange={(e) => setRetention(e.currentTarget.value as Retention)}
          >
            {RETENTION_NAMES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="field-hint">{RETENTION_HINTS[retention]}</p>
        </div>
        <SliderField
          id="chunk"
          label="Query chunk"
          hint="rows per chunk of the chunked strategy"
          value={chunk}
          slider={{ min: 1, max: 256, step: 1 }}
          min={1}
          max={LIMITS.seq.max}
          error={errors.chunk}
          onChange={setChunk}
        />
      </fieldset>
    </form>
  );
}
