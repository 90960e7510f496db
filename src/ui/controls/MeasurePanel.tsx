/**
 * Measuring on demand: which batches to measure (every selected combo at each), how long it should
 * take, Measure (with a confirm step when slow), Cancel / Stop now, and how far it has got.
 * Disabled, with the reason, for an invalid configuration or without WebGPU.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CONTROL_LABELS, formatBatchList, parseBatchList } from '../../state/pageConfig';
import { formatEstimate, isCpuAdapter } from '../../state/estimate';
import { statusText } from '../measureStatus';
import { useAppState } from '../StoreContext';

const QUICK: readonly (readonly number[])[] = [[1], [1, 2], [1, 2, 4], [1, 2, 4, 8]];

const sameList = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/** The batches box keeps what the user types ("1, 2,") and follows the store when it changes elsewhere. */
function BatchesInput() {
  const batches = useAppState((s) => s.config.measureBatches);
  const error = useAppState((s) => s.errors.measureBatches);
  const setMeasureBatches = useAppState((s) => s.setMeasureBatches);
  const [text, setText] = useState(() => formatBatchList(batches));
  const [seen, setSeen] = useState(batches);
  if (seen !== batches) {
    setSeen(batches);
    if (!sameList(parseBatchList(text), batches)) setText(formatBatchList(batches));
  }
  return (
    <div className={`hr-field${error ? ' hr-invalid' : ''}`}>
      <label htmlFor="measure-batches">{CONTROL_LABELS.measureBatches}</label>
      <input
        id="measure-batches"
        data-testid="measure-batches"
        className="hr-text"
        type="text"
        inputMode="numeric"
        value={text}
        placeholder="1, 2, 4"
        aria-invalid={error ? true : undefined}
        aria-describedby="hint-measure-batches error-measureBatches"
        onChange={(e) => {
          setText(e.currentTarget.value);
          setMeasureBatches(parseBatchList(e.currentTarget.value));
        }}
      />
      <p id="hint-measure-batches" className="hr-hint">
        every selected strategy × retention at each batch, separated by commas
      </p>
      <div className="hr-quick">
        {QUICK.map((q) => (
          <button
            key={q.join('-')}
            type="button"
            data-testid={`measure-batches-${q.join('-')}`}
            aria-pressed={sameList(q, batches)}
            onClick={() => setMeasureBatches(q)}
          >
            {q.join(', ')}
          </button>
        ))}
      </div>
      <p id="error-measureBatches" data-testid="error-measureBatches" className="hr-error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}

export function MeasurePanel() {
  // Only what the panel shows: it re-renders when one of these changes, not on every store change.
  const s = useAppState(
    useShallow((st) => ({
      abandon: st.abandon,
      cancel: st.cancel,
      cancelRequested: st.cancelRequested,
      confirmSlow: st.confirmSlow,
      dismissSlow: st.dismissSlow,
      errors: st.errors,
      estimate: st.estimate,
      measure: st.measure,
      measured: st.measured,
      progress: st.progress,
      status: st.status,
      webgpu: st.webgpu,
    })),
  );
  const measuring = s.status === 'measuring';
  const invalid = Object.keys(s.errors).length > 0;
  const noGpu = s.webgpu?.available === false;
  const reason = noGpu
    ? 'WebGPU is unavailable in this browser, so nothing can be measured.'
    : invalid
      ? 'Fix the setting marked in red to measure.'
      : null;
  const cpu = isCpuAdapter(s.webgpu);
  const where = cpu ? 'on SwiftShader (a CPU adapter)' : 'on this GPU';
  const estimate = `Expected to take ${formatEstimate(s.estimate.seconds)} ${where}`;

  return (
    <section className="hr-group hr-measure" aria-labelledby="measure-title">
      <h2 id="measure-title">Measure</h2>
      <BatchesInput />
      {!invalid && !noGpu && (
        <p data-testid="measure-estimate" className={s.estimate.slow ? 'hr-warn' : 'hr-hint'}>
          {estimate}
          {s.estimate.slow ? '; pick smaller batches to go faster.' : '.'}
        </p>
      )}
      <div className="hr-buttons">
        {s.confirmSlow && !measuring ? (
          <>
            <button
              type="button"
              className="hr-primary"
              data-testid="measure-anyway"
              onClick={() => void s.measure({ confirmed: true })}
            >
              Measure anyway
            </button>
            <button
              type="button"
              data-testid="measure-smaller"
              onClick={() => {
                s.dismissSlow();
                document.getElementById('measure-batches')?.focus();
              }}
            >
              Choose smaller batches
            </button>
          </>
        ) : (
          <button
            type="button"
            className="hr-primary"
            data-testid="measure"
            disabled={measuring || reason !== null}
            aria-describedby="measure-status"
            onClick={() => void s.measure()}
          >
            Measure
          </button>
        )}
        {measuring && (
          <button type="button" data-testid="cancel" disabled={s.cancelRequested} onClick={s.cancel}>
            Cancel
          </button>
        )}
        {measuring && s.cancelRequested && (
          <button
            type="button"
            data-testid="abandon"
            title="End the running step now: its worker and GPU memory are released, the point is recorded as cancelled"
            onClick={s.abandon}
          >
            Stop now
          </button>
        )}
      </div>
      {measuring && s.progress && (
        <progress value={s.progress.index - 1} max={s.progress.total} aria-label="Measuring progress" />
      )}
      <p
        id="measure-status"
        data-testid="measure-status"
        className="hr-status"
        role="status"
        data-status={s.status}
      >
        {reason && !measuring
          ? reason
          : statusText({
              status: s.status,
              progress: s.progress,
              cancelRequested: s.cancelRequested,
              results: s.measured,
              invalid,
            })}
      </p>
    </section>
  );
}
