/**
 * Reports: open one (a picker, or drop it on the page) to explore it as if just measured, the
 * reports opened so far (show one again, remove one), a PyTorch snapshot picker, and the export
 * menu. A file's problem shows next to the pickers, as text.
 */
import { useRef } from 'react';
import { importedLabel } from '../../state/reports';
import { useAppState } from '../StoreContext';
import { ExportMenu } from './ExportMenu';
import type { FileOpener } from './useOpenFiles';

export function ReportsPanel({ opener }: { opener: FileOpener }) {
  const reports = useAppState((s) => s.reports);
  const measuredFrom = useAppState((s) => s.measuredFrom);
  const measuring = useAppState((s) => s.status === 'measuring');
  const showReport = useAppState((s) => s.showReport);
  const removeReport = useAppState((s) => s.removeReport);
  const reportInput = useRef<HTMLInputElement>(null);
  const torchInput = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be picked again
    if (files.length > 0) void opener.open(files);
  };
  return (
    <section className="panel reports" aria-labelledby="reports-title" data-testid="reports-section">
      <div className="panel-head">
        <h2 id="reports-title">Reports</h2>
        <div className="reports-actions">
          <button
            type="button"
            data-testid="open-report"
            disabled={measuring}
            onClick={() => reportInput.current?.click()}
          >
            Open report
          </button>
          <input
            ref={reportInput}
            type="file"
            hidden
            data-testid="open-report-input"
            accept=".json,.gz,application/json,application/gzip"
            onChange={(e) => pick(e.currentTarget)}
          />
          <button type="button" data-testid="open-snapshot" onClick={() => torchInput.current?.click()}>
            Open PyTorch snapshot
          </button>
          <input
            ref={torchInput}
            type="file"
            hidden
            data-testid="open-snapshot-input"
            accept=".pickle,.pkl"
            onChange={(e) => pick(e.currentTarget)}
          />
          <ExportMenu />
        </div>
      </div>
      <p className="muted">
        Open a Headroom report (.json or .json.gz) or drop it on the page: it is explored as if just measured.
      </p>
      {opener.busy && <p className="muted">Opening…</p>}
      {opener.error && (
        <p className="hr-error file-error" role="alert" data-testid="file-error">
          {opener.error}
        </p>
      )}
      {measuredFrom && (
        <p className="muted" data-testid="imported-from">
          Measured points {importedLabel(measuredFrom)}
        </p>
      )}
      {reports.length > 0 && (
        <ul className="report-list" data-testid="report-list">
          {reports.map((r) => (
            <li key={r.id} data-report={r.name}>
              <button type="button" className="linkish" disabled={measuring} onClick={() => showReport(r.id)}>
                {r.name}
              </button>{' '}
              <span className="muted">
                {r.report.points.length} point{r.report.points.length === 1 ? '' : 's'}
                {r.report.device ? ` on ${r.report.device.adapter}` : ''}
              </span>{' '}
              <button
                type="button"
                aria-label={`Remove ${r.name}`}
                data-testid="remove-report"
                onClick={() => removeReport(r.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
