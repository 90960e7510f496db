/** Two steps aligned node by node: the pair's pickers and the comparison. */
import { useDeferredValue, useMemo } from 'react';
import { ComparePicker } from '../controls/PointPicker';
import { useAppState } from '../StoreContext';
import { ComparePanel } from '../views/ComparePanel';

export function CompareSection() {
  const compare = useAppState((s) => s.compare);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const result = useDeferredValue(compare?.result ?? null);
  const panel = useMemo(() => result && <ComparePanel comparison={result} />, [result]);
  if (invalid) return null;
  return (
    <section className="panel" aria-labelledby="compare-title" data-testid="compare-section">
      <div className="panel-head">
        <h2 id="compare-title">Compare two steps</h2>
        <ComparePicker />
      </div>
      {!compare && <p className="muted">Select two or more combinations to compare their steps.</p>}
      {compare?.error && (
        <p className="hr-error" role="alert" data-testid="compare-error">
          {compare.error}
        </p>
      )}
      {panel}
      {compare && !compare.result && compare.status === 'loading' && <p className="muted">Comparing…</p>}
    </section>
  );
}
