/** Which configuration the chart shows; it may differ from the controls once they are changed. */
import { useAppState } from './StoreContext';

export function ResultsCaption() {
  const measured = useAppState((s) => s.measuredConfig);
  const config = useAppState((s) => s.config);
  if (!measured) return null;
  const stale =
    measured.seq !== config.seq || measured.embd !== config.embd || measured.heads !== config.heads;
  return (
    <p className="muted" data-testid="results-config">
      seq {measured.seq}, embd {measured.embd}, {measured.heads} heads; one forward and backward step.
      {stale && ' The controls have changed since: press Measure to update.'}
    </p>
  );
}
