/** Every op's allocations for the selected point, attention ops only by default. */
import { useState } from 'react';
import type { OpRecord, Point } from '../engine/report/schema';
import { isAttentionScope } from '../engine/vocabulary';
import { pointLabel, samePoint, type PointKey } from '../state/store';
import { Bytes } from './Bytes';
import { formatShape } from './format';
import { PointSummary } from './PointSummary';
import { useAppState } from './StoreContext';

function keyOf(p: PointKey): string {
  return `${p.strategy}@${p.batch}`;
}

const isAttention = (op: OpRecord): boolean => isAttentionScope(op.scope);

/** The measured points to pick from; picking one selects it everywhere (chart, table). */
function PointPicker({ choices }: { choices: Point[] }) {
  const selected = useAppState((s) => s.selected);
  const select = useAppState((s) => s.select);
  return (
    <label className="inline">
      Point{' '}
      <select
        data-testid="point-select"
        value={selected ? keyOf(selected) : ''}
        disabled={choices.length === 0}
        onChange={(e) => {
          const p = choices.find((c) => keyOf(c) === e.currentTarget.value);
          select(p ? { strategy: p.strategy, batch: p.batch } : null);
        }}
      >
        <option value="">—</option>
        {choices.map((p) => (
          <option key={keyOf(p)} value={keyOf(p)}>
            {pointLabel(p)}
          </option>
        ))}
      </select>
    </label>
  );
}

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
          Allocations of each op, forward and backward, for {pointLabel(point)}
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
  const results = useAppState((s) => s.results);
  const selected = useAppState((s) => s.selected);
  const [attentionOnly, setAttentionOnly] = useState(true);

  const point = selected ? results.find((p) => samePoint(p, selected)) : undefined;
  const ops = point?.measured?.ops ?? [];
  const shown = attentionOnly ? ops.filter(isAttention) : ops;

  return (
    <section className="panel ops" aria-labelledby="ops-title">
      <div className="ops-head">
        <h2 id="ops-title">Ops {point ? `of ${pointLabel(point)}` : ''}</h2>
        <PointPicker choices={results.filter((p) => p.measured !== null)} />
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

      {!point && (
        <p className="muted">Measure, then click a point in the chart to see what each op allocated.</p>
      )}
      {point?.error && (
        <p className="muted">
          {pointLabel(point)} failed: {point.error.message}
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
