/** The tensors live at the step's peak, largest first: what holds the memory, and from when until when. */
import { useMemo, useState } from 'react';
import type { StepDetail } from '../../engine/explore/types';
import { Bytes } from '../Bytes';
import { formatByteCount, formatBytes, formatShape } from '../format';
import { CATEGORY_VAR } from './seriesStyle';
import { sortRows, sumOf } from './tableModel';
import './views.css';

/** Rows shown before "show all". */
const TOP = 50;

export function AtPeakTable({ detail }: { detail: StepDetail }) {
  const [all, setAll] = useState(false);
  const tensors = useMemo(() => sortRows(detail.atPeak, (t) => t.bytes, 'descending'), [detail]);
  const shown = all ? tensors : tensors.slice(0, TOP);
  const total = sumOf(tensors, (t) => t.bytes);
  const matches = total === detail.peakBytes;
  return (
    <section className="at-peak" data-testid="at-peak" data-count={tensors.length} data-total-bytes={total}>
      <div className="view-head">
        <h3 id="at-peak-title">
          Live at the peak ({detail.peakNode}): {tensors.length} tensors
        </h3>
        {tensors.length > TOP && (
          <button type="button" aria-pressed={all} onClick={() => setAll((a) => !a)}>
            {all ? `Show the top ${TOP}` : `Show all ${tensors.length}`}
          </button>
        )}
      </div>
      <div className="table-box">
        <table className="view-table" aria-labelledby="at-peak-title">
          <thead>
            <tr>
              <th scope="col">Tensor</th>
              <th scope="col" className="num">
                Bytes
              </th>
              <th scope="col">Shape</th>
              <th scope="col">Category</th>
              <th scope="col">Op</th>
              <th scope="col">Producer</th>
              <th scope="col">Scope</th>
              <th scope="col">Lifetime</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.tensor} data-tensor={t.tensor} data-category={t.category} data-bytes={t.bytes}>
                <td className="mono trunc" title={t.tensor}>
                  {t.tensor}
                </td>
                <td className="num">
                  <Bytes value={t.bytes} />
                </td>
                <td className="mono" title={t.dtype}>
                  {formatShape(t.shape)} {t.dtype}
                </td>
                <td>
                  <span
                    className="cat-dot"
                    style={{ background: CATEGORY_VAR[t.category] }}
                    aria-hidden="true"
                  />{' '}
                  {t.category}
                </td>
                <td>{t.opType || '—'}</td>
                <td className="mono trunc" title={t.producer}>
                  {t.producer === t.tensor ? '(itself)' : t.producer}
                </td>
                <td className="mono trunc" title={t.scope}>
                  {t.scope || '—'}
                </td>
                <td className="mono trunc" title={`${t.from} → ${t.until}`}>
                  {t.from} → {t.until}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="totals" data-total-bytes={total}>
              <th scope="row">
                Total of {tensors.length} tensors
                {shown.length < tensors.length ? ` (${shown.length} shown)` : ''}
                {matches ? ' = the peak' : `, but the peak is ${formatBytes(detail.peakBytes)}`}
              </th>
              <td className="num" title={formatByteCount(total)}>
                {formatBytes(total)}
              </td>
              <td colSpan={6} />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
