/** The points that failed in the last sweep, with the reason each gave. Nothing when none failed. */
import { pointLabel } from '../state/store';
import { useAppState } from './StoreContext';

export function PointErrors() {
  const results = useAppState((s) => s.results);
  const failed = results.filter((p) => p.error !== null);
  if (failed.length === 0) return null;
  return (
    <section className="point-errors" aria-labelledby="point-errors-title">
      <h3 id="point-errors-title">Failed points</h3>
      <ul data-testid="point-errors">
        {failed.map((p) => (
          <li
            key={`${p.strategy}-${p.batch}`}
            data-strategy={p.strategy}
            data-batch={p.batch}
            data-error-code={p.error?.code}
          >
            <strong>{pointLabel(p)}</strong> <code>{p.error?.code}</code>: {p.error?.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
