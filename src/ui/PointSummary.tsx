/** The headline numbers of one measured point, next to its plan. */
import type { Point } from '../engine/report/schema';
import type { ReactNode } from 'react';
import { Bytes } from './Bytes';

/** The dl's items repeat one shape: a term and a value (`bytes`: the exact count, as data-bytes). */
function Item({
  term,
  children,
  testId,
  bytes,
}: {
  term: string;
  children: ReactNode;
  testId?: string;
  bytes?: number;
}) {
  return (
    <div data-testid={testId}>
      <dt>{term}</dt>
      <dd data-bytes={bytes}>{children}</dd>
    </div>
  );
}

export function PointSummary({ point }: { point: Point }) {
  if (!point.measured) return null;
  const m = point.measured;
  const p = point.predicted;
  return (
    <dl className="point-summary" data-testid="point-summary">
      <Item term="Peak live" testId="peak-live" bytes={m.peakLiveBytes}>
        <Bytes value={m.peakLiveBytes} />
      </Item>
      {p && (
        <Item term="Planned peak" testId="planned-peak" bytes={p.peakBytes}>
          <Bytes value={p.peakBytes} />
        </Item>
      )}
      <Item term="Peak reserved" testId="peak-reserved" bytes={m.peakReservedBytes}>
        <Bytes value={m.peakReservedBytes} />
      </Item>
      <Item term="Unattributed" testId="unattributed" bytes={m.unattributedBytes}>
        <Bytes value={m.unattributedBytes} />
      </Item>
      <Item term="Step">{m.stepMs.toFixed(1)} ms</Item>
    </dl>
  );
}
