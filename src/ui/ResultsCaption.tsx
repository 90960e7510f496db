/** Which configuration the chart shows; it may differ from the controls once they are changed. */
import { useAppState } from './StoreContext';

export function ResultsCaption() {
  const measured = useAppState((s) => s.measuredConfig);
  const config = useAppState((s) => s.config);
  const retention = useAppState((s) => s.retention);
  const chunk = useAppState((s) => s.chunk);
  if (!measured) return null;
  const stale =
    measured.seq !== config.seq ||
    measured.embd !== config.embd ||
    measured.heads !== config.heads ||
    measured.retention !== retention ||
    measured.chunk !== chunk;
  return (
    <p className="muted" data-testid="results-config">
      seq {measured.seq}, embd {measured.embd}, {measured.heads} heads, retention {measured.retention} (chunk{' '}
      {measured.chunk}); one forward and backward step.
      {stale && ' The controls have changed since: press Measure to update.'}
    </p>
  );
}
