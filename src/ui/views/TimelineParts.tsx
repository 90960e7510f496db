/** The step timeline's tooltip (one node) and legend (categories and phases). */
import type { StepDetail, TimelineRow } from '../../engine/explore/types';
import { CATEGORIES, PHASES } from '../../engine/vocabulary';
import { formatByteCount, formatBytes, formatShape } from '../format';
import { CATEGORY_VAR, PHASE_VAR } from './seriesStyle';

/** One node: what it is, what it outputs, and the live bytes while it runs, in total and by category. */
export function RowTooltip({ row, measured }: { row: TimelineRow; measured: number | undefined }) {
  return (
    <div className="chart-tooltip timeline-tooltip">
      <strong className="mono">{row.node}</strong>
      <div>
        {row.opType} · {row.phase} · <span className="mono">{row.scope || '—'}</span>
      </div>
      {row.outputs.length > 0 && (
        <div className="mono">
          → {row.outputs.map((o) => `${formatShape(o.shape)} ${o.dtype}`).join(', ')}
        </div>
      )}
      <table>
        <tbody>
          <tr>
            <th scope="row">live</th>
            <td className="num">{formatBytes(row.liveBytes)}</td>
            <td className="num muted-cell">{formatByteCount(row.liveBytes)}</td>
          </tr>
          {CATEGORIES.map((c, i) =>
            row.liveByCategory[i] ? (
              <tr key={c}>
                <th scope="row">
                  <span className="cat-dot" style={{ background: CATEGORY_VAR[c] }} aria-hidden="true" /> {c}
                </th>
                <td className="num">{formatBytes(row.liveByCategory[i] ?? 0)}</td>
                <td className="num muted-cell">{formatByteCount(row.liveByCategory[i] ?? 0)}</td>
              </tr>
            ) : null,
          )}
          {measured !== undefined && (
            <tr>
              <th scope="row">measured live after</th>
              <td className="num">{formatBytes(measured)}</td>
              <td className="num muted-cell">{formatByteCount(measured)}</td>
            </tr>
          )}
          <tr>
            <th scope="row">allocated / freed</th>
            <td className="num">{formatBytes(row.allocBytes)}</td>
            <td className="num">{formatBytes(row.freedBytes)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** Category colours with each category's bytes at the peak, and the phase shades. */
export function TimelineLegend({ detail }: { detail: StepDetail }) {
  return (
    <ul className="st-legend" aria-label="Categories and phases">
      {CATEGORIES.map((c) => (
        <li key={c} data-category={c} data-bytes-at-peak={detail.byCategory[c]}>
          <span className="cat-dot" style={{ background: CATEGORY_VAR[c] }} aria-hidden="true" /> {c}{' '}
          <span className="muted-cell">{formatBytes(detail.byCategory[c])} at peak</span>
        </li>
      ))}
      {PHASES.map((p) => (
        <li key={p}>
          <span className="phase-dot" style={{ background: PHASE_VAR[p] }} aria-hidden="true" /> {p}
        </li>
      ))}
    </ul>
  );
}
