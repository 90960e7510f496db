/** Every op's measured allocations for the step shown (when it was measured), attention ops only by default. */
import { useState } from 'react';
import type { OpRecord, Point } from '../engine/report/schema';
import { isAttentionScope } from '../engine/vocabulary';
import { measuredPointOf, pointLabel } from '../state/measureSweep';
import { Bytes } from './Bytes';
import { formatShape } from './format';
import { PointSummary } from './PointSummary';
import { planKeyOf } from '../state/store';
import { useAppState } from './StoreContext';

const label = (p: Point) => pointLabel({ combo: p, batch: p.batch });

const isAttention = (op: OpRecord): boolean => isAttentionScope(op.scope);

function OpRow({ op }: { op: OpRecord }) {
  return (
    <tr
      data-node={op.node}
      data-op-type={op.opType}
      data-phase={op.phase}
      data-scope={op.scope}
      data-alloc-bytes={op.allocBytes}
      data-freed-bytes={op.freedBytes}
      data-live-bytes-after={op.liveBytesAfter}
    >
      <td className="mono">{op.node}</td>
      <td>{op.opType}</td>
      <td>{op.phase}</td>
      <td className="mono">{op.scope}</td>
      <td className="mono">{op.outputs.map((o) => formatShape(o.shape)).join(', ')}</td>
      <td className="num">
        <Bytes value={op.allocBytes} />
      </td>
      <td className="num">
        <Bytes value={op.freedBytes} />
      </td>
      <td className="num">
        <Bytes value={op.liveBytesAfter} />
      </td>
    </tr>
  );
}

const NUMERIC_COLUMNS = ['Allocated', 'Freed', 'Live after'];

function OpsOfPoint({ point, ops }: { point: Point; ops: OpRecord[] }) {
  return (
    <div className="table-scroll">
      <table
        className="ops-table"
        data-testid="ops-table"
        data-strategy={point.strategy}
        data-batch={point.batch}
      >
        <caption className="visually-hidden">
          Allocations of each op, forward and backward, for {label(point)}
        </caption>
        <thead>
          <tr>
            {['Node', 'Op', 'Phase', 'Scope', 'Output shapes'].map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
            {NUMERIC_COLUMNS.map((h) => (
              <th key={h} scope="col" className="num">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ops.map((op, i) => (
            <OpRow key={`${op.node}-${i}`} op={op} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OpsTable() {
  const results = useAppState((s) => s.measured);
  const selected = useAppState((s) => s.selected);
  const current = useAppState((s) => s.measuredConfigKey === planKeyOf(s.config));
  const [attentionOnly, setAttentionOnly] = useState(true);

  const point = selected && current ? measuredPointOf(results, selected) : undefined;
  const ops = point?.measured?.ops ?? [];
  const shown = attentionOnly ? ops.filter(isAttention) : ops;

  return (
    <section className="panel ops" aria-labelledby="ops-title">
      <div className="ops-head">
        <h2 id="ops-title">Ops {point ? `of ${label(point)}` : ''}</h2>
        <label className="inline">
          <input
            type="checkbox"
            data-testid="attention-only"
            checked={attentionOnly}
            onChange={(e) => setAttentionOnly(e.currentTarget.checked)}
          />{' '}
          attention ops only
        </label>
      </div>

      {!point && <p className="muted">Measure the step shown to see what each op allocated on this GPU.</p>}
      {point?.error && (
        <p className="muted">
          {label(point)} failed: {point.error.message}
        </p>
      )}
      {point?.measured && (
        <>
          <PointSummary point={point} />
          <OpsOfPoint point={point} ops={shown} />
          {shown.length === 0 && (
            <p className="muted">No ops {attentionOnly ? 'in attention ' : ''}recorded.</p>
          )}
        </>
      )}
    </section>
  );
}
