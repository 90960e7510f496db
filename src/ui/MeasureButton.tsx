/** Starts a sweep and says how far it has got. The button's accessible name is always "Measure". */
import { ExportButton } from './ExportButton';
import { useAppState } from './StoreContext';

function statusText(s: {
  status: string;
  progress: { index: number; total: number; label: string } | null;
  cancelRequested: boolean;
  measured: number;
  failed: number;
  invalid: boolean;
}): string {
  if (s.status === 'measuring' && s.progress) {
    const { label, index, total } = s.progress;
    return `Measuring ${label} (${index}/${total})…${s.cancelRequested ? ' stopping after this point.' : ''}`;
  }
  if (s.invalid) return 'Fix the setting marked in red to measure.';
  const points = `${s.measured} point${s.measured === 1 ? '' : 's'}`;
  if (s.status === 'done') return `Measured ${points}.`;
  if (s.status === 'error') return `Measured ${points}; ${s.failed} failed (see the list beside the chart).`;
  if (s.measured > 0 || s.failed > 0) return `Stopped after ${points}.`;
  return '';
}

export function MeasureButton() {
  const status = useAppState((s) => s.status);
  const progress = useAppState((s) => s.progress);
  const cancelRequested = useAppState((s) => s.cancelRequested);
  const results = useAppState((s) => s.results);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const webgpuUnavailable = useAppState((s) => s.webgpu?.available === false);
  const measure = useAppState((s) => s.measure);
  const cancel = useAppState((s) => s.cancel);
  const measuring = status === 'measuring';
  const failed = results.filter((p) => p.error !== null).length;
  const text = statusText({
    status,
    progress,
    cancelRequested,
    measured: results.length - failed,
    failed,
    invalid,
  });

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
