/** Starts a sweep and says how far it has got. The button's accessible name is always "Measure". */
import { ExportButton } from './ExportButton';
import { statusText } from './measureStatus';
import { useAppState } from './StoreContext';

export function MeasureButton() {
  const status = useAppState((s) => s.status);
  const progress = useAppState((s) => s.progress);
  const cancelRequested = useAppState((s) => s.cancelRequested);
  const results = useAppState((s) => s.results);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const webgpuUnavailable = useAppState((s) => s.webgpu?.available === false);
  const measure = useAppState((s) => s.measure);
  const cancel = useAppState((s) => s.cancel);
  const abandon = useAppState((s) => s.abandon);
  const measuring = status === 'measuring';
  const text = statusText({ status, progress, cancelRequested, results, invalid });

  return (
    <div className="measure">
      <div className="measure-buttons">
        <button
          type="button"
          className="primary"
          data-testid="measure"
          disabled={measuring || webgpuUnavailable}
          aria-describedby="measure-status"
          onClick={() => void measure()}
        >
          Measure
        </button>
        <ExportButton />
        {measuring && (
          <button type="button" data-testid="cancel" disabled={cancelRequested} onClick={cancel}>
            Cancel
          </button>
        )}
        {measuring && cancelRequested && (
          <button
            type="button"
            data-testid="abandon"
            title="End the running step now: its worker and GPU memory are released, the point is recorded as cancelled"
            onClick={abandon}
          >
            Stop now
          </button>
        )}
      </div>
      {measuring && progress && (
        <progress value={progress.index - 1} max={progress.total} aria-label="Sweep progress" />
      )}
      <p
        id="measure-status"
        data-testid="measure-status"
        className="measure-status"
        role="status"
        data-status={status}
      >
        {text}
      </p>
    </div>
  );
}
