/**
 * Everything the page can save: the report (JSON v2, plain or gzipped), CSV of its points or of
 * the ops of the step shown, a Markdown summary, a Chrome trace and a PyTorch-style memory
 * snapshot and the ONNX model of the step shown, and the planned chart and step timeline as SVG or PNG. From the
 * measured (or imported) points of the configuration on screen, else from its plan alone. The
 * report modules (zod, the exporters) load on the first export, not with the page.
 */
import { useState } from 'react';
import { useAppState, useAppStore } from '../StoreContext';
import { chartSvg, standaloneSvg, svgToPng } from './chartImage';
import { saveFile } from './files';

type ItemId =
  | 'json'
  | 'json-gz'
  | 'csv-points'
  | 'csv-ops'
  | 'md'
  | 'trace'
  | 'snapshot'
  | 'onnx'
  | 'planned-svg'
  | 'planned-png'
  | 'timeline-svg'
  | 'timeline-png';

const ITEMS: { id: ItemId; label: string; group: string }[] = [
  { id: 'json', label: 'JSON report (v2)', group: 'Report' },
  { id: 'json-gz', label: 'JSON report, gzipped', group: 'Report' },
  { id: 'csv-points', label: 'CSV: points', group: 'Report' },
  { id: 'md', label: 'Markdown summary', group: 'Report' },
  { id: 'csv-ops', label: 'CSV: ops of the step shown', group: 'Step shown' },
  { id: 'trace', label: 'Chrome trace', group: 'Step shown' },
  { id: 'snapshot', label: 'Memory snapshot (.pickle)', group: 'Step shown' },
  { id: 'onnx', label: 'ONNX model of the step', group: 'Step shown' },
  { id: 'planned-svg', label: 'Planned chart, SVG', group: 'Charts' },
  { id: 'planned-png', label: 'Planned chart, PNG', group: 'Charts' },
  { id: 'timeline-svg', label: 'Step timeline, SVG', group: 'Charts' },
  { id: 'timeline-png', label: 'Step timeline, PNG', group: 'Charts' },
];
const GROUPS = [...new Set(ITEMS.map((i) => i.group))];

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function ExportMenu() {
  const store = useAppStore();
  const measuring = useAppState((s) => s.status === 'measuring');
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);

  async function chart(id: 'planned' | 'timeline', png: boolean) {
    const testId = id === 'planned' ? 'planned-chart' : 'step-timeline';
    const svg = chartSvg(testId);
    if (!svg)
      throw new Error(
        id === 'planned' ? 'the planned chart is not drawn yet' : 'show the step’s Timeline tab to export it',
      );
    const markup = standaloneSvg(svg);
    const { combo, batch } = store.getState().step.detail ?? {};
    const stem =
      id === 'planned'
        ? 'headroom-planned'
        : `headroom-timeline-${combo?.strategy}-${combo?.retention}-b${batch}`;
    if (png) saveFile(await svgToPng(markup, 2), `${stem}.png`, 'image/png');
    else saveFile(markup, `${stem}.svg`, 'image/svg+xml');
    return `${stem}.${png ? 'png' : 'svg'}`;
  }

  async function run(id: ItemId): Promise<string> {
    if (id === 'onnx') {
      const s = store.getState();
      if (!s.selected) throw new Error('no step is shown: pick one to export it');
      const { combo, batch } = s.selected;
      const name = `headroom-${combo.strategy}-${combo.retention}-b${batch}.onnx`;
      saveFile(await s.onnxModel(s.selected), name, 'application/octet-stream');
      return name;
    }
    if (id === 'planned-svg' || id === 'planned-png') return chart('planned', id.endsWith('png'));
    if (id === 'timeline-svg' || id === 'timeline-png') return chart('timeline', id.endsWith('png'));
    const [{ exportSource, reportStem, pointStem }, io, exporters] = await Promise.all([
      import('../../state/exportReport'),
      import('../../engine/report/io'),
      import('../../engine/report/export'),
    ]);
    const src = exportSource(store.getState());
    if (!src) throw new Error('nothing to export yet: wait for the plan');
    const { report, point } = src;
    const stem = reportStem(report);
    const needPoint = () => {
      if (!point) throw new Error('no step is shown: pick one to export it');
      return point;
    };
    let name: string;
    let bytes: Uint8Array;
    let type = 'application/octet-stream';
    switch (id) {
      case 'json':
        [name, bytes, type] = [
          `${stem}.json`,
          await io.encodeReport(report, { version: 2 }),
          'application/json',
        ];
        break;
      case 'json-gz':
        [name, bytes, type] = [
          `${stem}.json.gz`,
          await io.encodeReport(report, { version: 2, gzip: true }),
          'application/gzip',
        ];
        break;
      case 'csv-points':
        [name, bytes, type] = [
          `${stem}-points.csv`,
          await exporters.exportReportAs(report, 'csv', {}),
          'text/csv',
        ];
        break;
      case 'md':
        [name, bytes, type] = [
          `${stem}.md`,
          await exporters.exportReportAs(report, 'md', point ? { point } : {}),
          'text/markdown',
        ];
        break;
      case 'csv-ops': {
        const p = needPoint();
        [name, bytes, type] = [
          `${stem}-${pointStem(p)}-ops.csv`,
          await exporters.exportReportAs(report, 'csv', { point: p }),
          'text/csv',
        ];
        break;
      }
      case 'trace': {
        const p = needPoint();
        [name, bytes, type] = [
          `${stem}-${pointStem(p)}-trace.json`,
          await exporters.exportReportAs(report, 'trace', { point: p }),
          'application/json',
        ];
        break;
      }
      case 'snapshot': {
        const p = needPoint();
        name = `${stem}-${pointStem(p)}-snapshot.pickle`;
        bytes = await exporters.exportReportAs(report, 'snapshot', { point: p });
        break;
      }
    }
    saveFile(bytes, name, type);
    return name;
  }

  const choose = (id: ItemId) => {
    setOpen(false);
    setStatus(null);
    run(id).then(
      (name) => setStatus({ error: false, text: `Saved ${name}` }),
      (err: unknown) => setStatus({ error: true, text: `Export failed: ${messageOf(err)}` }),
    );
  };

  return (
    <div className="export-menu">
      <button
        type="button"
        data-testid="export-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={measuring || invalid}
        onClick={() => setOpen((o) => !o)}
      >
        Export ▾
      </button>
      {open && (
        <div role="menu" className="export-items" data-testid="export-items">
          {GROUPS.map((g) => (
            <div key={g} role="group" aria-label={g}>
              <p className="export-group">{g}</p>
              {ITEMS.filter((i) => i.group === g).map((i) => (
                <button
                  key={i.id}
                  type="button"
                  role="menuitem"
                  data-testid={`export-${i.id}`}
                  onClick={() => choose(i.id)}
                >
                  {i.label}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
      {status && (
        <span
          className={status.error ? 'hr-error' : 'muted'}
          role={status.error ? 'alert' : 'status'}
          data-testid={status.error ? 'export-error' : 'export-status'}
        >
          {status.text}
        </span>
      )}
    </div>
  );
}
