/**
 * The points of the last measuring run that have no measurement, with the reason each gave: skipped
 * before running (over the device's buffer limits, say) apart from those that failed.
 */
import type { Point } from '../engine/report/schema';
import { outcomeOf } from '../engine/report/points';
import { pointLabel } from '../state/measureSweep';
import { useAppState } from './StoreContext';

function PointList({ title, points, testId }: { title: string; points: Point[]; testId: string }) {
  if (points.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul data-testid={testId}>
        {points.map((p) => (
          <li
            key={`${p.strategy}-${p.retention}-${p.batch}`}
            data-strategy={p.strategy}
            data-batch={p.batch}
            data-error-code={p.error?.code}
          >
            <strong>{pointLabel({ combo: p, batch: p.batch })}</strong> <code>{p.error?.code}</code>:{' '}
            {p.error?.message}
          </li>
        ))}
      </ul>
    </>
  );
}

export function PointErrors() {
  const results = useAppState((s) => s.measured);
  const skipped = results.filter((p) => outcomeOf(p) === 'skipped');
  const failed = results.filter((p) => outcomeOf(p) === 'failed');
  if (skipped.length + failed.length === 0) return null;
  return (
    <section className="point-errors" aria-label="Points without a measurement">
      <PointList title="Skipped points" points={skipped} testId="point-skips" />
      <PointList title="Failed points" points={failed} testId="point-errors" />
    </section>
  );
}
