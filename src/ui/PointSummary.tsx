/** The headline numbers of one measured point, next to its plan. */
import type { Point } from '../engine/report/schema';
import type { ReactNode } from 'react';
import { Bytes } from './Bytes';

/** The dl's items repeat one shape: a term and a value. */
function Item({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function PointSummary({ point }: { point: Point }) {
  if (!point.measured) return null;
  const m = point.measured;
  const p = point.predicted;
  return (
    <dl className="point-summary" data-testid="point-summary">
      <Item term="Peak live">
        <Bytes value={m.peakLiveBytes} />
      </Item>
      {p && (
        <Item term="Planned peak" testId="planned-peak">
          <Bytes value={p.peakBytes} />
        </Item>
      )}
      <Item term="Peak reserved">
        <Bytes value={m.peakReservedBytes} />
      </Item>
      <Item term="Unattributed">
        <Bytes value={m.unattributedBytes} />
      </Item>
      <Item term="Step">{m.stepMs.toFixed(1)} ms</Item>
    </dl>
  );
}
