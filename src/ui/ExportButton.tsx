/**
 * Downloads the measured points as a report file (version 2 JSON, docs/report-format.md). The
 * report module (its zod schema) loads on the first click, not with the page.
 */
import { useAppState } from './StoreContext';

export function ExportButton() {
  const measuredConfig = useAppState((s) => s.measuredConfig);
  const results = useAppState((s) => s.measured);
  const webgpu = useAppState((s) => s.webgpu);
  const measuring = useAppState((s) => s.status === 'measuring');

  const download = async () => {
    const { reportFileBytes, reportFileName, reportOf } = await import('../state/exportReport');
    const report = reportOf({ measuredConfig, measured: results, webgpu });
    if (!report) return;
    const bytes = await reportFileBytes(report);
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = reportFileName(report);
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <button
      type="button"
      data-testid="export-report"
      disabled={measuring || results.length === 0}
      onClick={() => void download()}
    >
      Export report
    </button>
  );
}
