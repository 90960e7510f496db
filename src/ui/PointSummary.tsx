/** The headline numbers of one measured point. */
import type { Point } from '../engine/report/schema';
import { Bytes } from './Bytes';

export function PointSummary({ point }: { point: Point }) {
  if (!point.measured) return null;
  const m = point.measured;
  return (
    <dl className="point-summary" data-testid="point-summary">
      <div>
        <dt>Peak live</dt>
        <dd>
          <Bytes value={m.peakLiveBytes} />
        </dd>
      </div>
      <div>
        <dt>Peak reserved</dt>
        <dd>
          <Bytes value={m.peakReservedBytes} />
        </dd>
      </div>
      <div>
        <dt>Unattributed</dt>
        <dd>
          <Bytes value={m.unattributedBytes} />
        </dd>
      </div>
      <div>
        <dt>Step</dt>
        <dd>{m.stepMs.toFixed(1)} ms</dd>
      </div>
    </dl>
  );
}
