/**
 * Two opened reports side by side: pick report A and one of its points, report B and one of its
 * points; their measured ops (else predicted) aligned by node name, with what each allocates and
 * both peaks. Loaded on demand (it uses the engine's node alignment).
 */
import { useMemo, useState } from 'react';
import type { Point } from '../../engine/report/schema';
import { compareReports } from '../../state/compareReports';
import { pointKey, type OpenedReport } from '../../state/reports';
import { useAppState } from '../StoreContext';
import { ComparePanel } from '../views/ComparePanel';

interface Side {
  id: string;
  point: string;
}

const samePoint = (p: Point, key: string) => pointKey(p) === key;

function SidePicker({
  label,
  side,
  reports,
  onChange,
}: {
  label: 'a' | 'b';
  side: Side;
  reports: OpenedReport[];
  onChange(side: Side): void;
}) {
  const report = reports.find((r) => r.id === side.id);
  return (
    <span className="compare-side-picker">
      <label>
        {label.toUpperCase()}{' '}
        <select
          data-testid={`report-${label}`}
          value={side.id}
          onChange={(e) => {
            const next = reports.find((r) => r.id === e.currentTarget.value);
            const keep = next?.report.points.find((p) => samePoint(p, side.point));
            const first = next?.report.points[0];
            onChange({ id: e.currentTarget.value, point: keep ? side.point : first ? pointKey(first) : '' });
          }}
        >
          {reports.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <select
        aria-label={`Point of report ${label.toUpperCase()}`}
        data-testid={`report-${label}-point`}
        value={side.point}
        onChange={(e) => onChange({ ...side, point: e.currentTarget.value })}
      >
        {(report?.report.points ?? []).map((p) => (
          <option key={pointKey(p)} value={pointKey(p)}>
            {pointKey(p)}
            {p.measured ? '' : ' (planned)'}
          </option>
        ))}
      </select>
    </span>
  );
}

function defaultSide(r: OpenedReport | undefined, like?: string): Side {
  if (!r) return { id: '', point: '' };
  const p = (like && r.report.points.find((q) => samePoint(q, like))) || r.report.points[0];
  return { id: r.id, point: p ? pointKey(p) : '' };
}

export default function ReportCompare() {
  const reports = useAppState((s) => s.reports);
  const [picked, setPicked] = useState<{ a: Side; b: Side } | null>(null);
  // Sides whose report was removed fall back to the defaults: the last two opened.
  const valid = (s: Side) => reports.some((r) => r.id === s.id);
  const a = picked && valid(picked.a) ? picked.a : defaultSide(reports.at(-2) ?? reports.at(-1));
  const b = picked && valid(picked.b) ? picked.b : defaultSide(reports.at(-1), a.point);

  const result = useMemo(() => {
    const pa = reports.find((r) => r.id === a.id);
    const pb = reports.find((r) => r.id === b.id);
    const pointA = pa?.report.points.find((p) => samePoint(p, a.point));
    const pointB = pb?.report.points.find((p) => samePoint(p, b.point));
    if (!pa || !pb || !pointA || !pointB) return null;
    const names = { a: `${pa.name} (${a.point})`, b: `${pb.name} (${b.point})` };
    return { names, ...compareReports({ name: pa.name, point: pointA }, { name: pb.name, point: pointB }) };
  }, [reports, a.id, a.point, b.id, b.point]);

  if (reports.length === 0)
    return (
      <p className="muted" data-testid="report-compare-empty">
        Open two reports (Open report, or drop them on the page) to compare them here.
      </p>
    );
  return (
    <div data-testid="report-compare">
      <div className="compare-pickers">
        <SidePicker label="a" side={a} reports={reports} onChange={(s) => setPicked({ a: s, b })} />
        <SidePicker label="b" side={b} reports={reports} onChange={(s) => setPicked({ a, b: s })} />
      </div>
      {result && (
        <>
          <p className="muted" data-testid="report-compare-sources">
            A shows its {result.sources.a ?? 'missing'} ops, B its {result.sources.b ?? 'missing'} ops. A
            report does not record what each node holds at the peak: the “at peak” columns are 0.
          </p>
          <ComparePanel
            comparison={result.comparison}
            names={result.names}
            initialSort={{ column: 'deltaAlloc', dir: 'descending' }}
          />
        </>
      )}
    </div>
  );
}
