/**
 * Two steps aligned node by node: the pair's pickers and the comparison; or, in the second mode,
 * two opened reports' points (loaded on demand with its node alignment).
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { ComparePicker } from '../controls/PointPicker';
import { useAppState } from '../StoreContext';
import { useTakingTurns } from '../takeTurns';
import { ComparePanel } from '../views/ComparePanel';

const ReportCompare = lazy(() => import('../reports/ReportCompare'));

type Mode = 'steps' | 'reports';

export function CompareSection() {
  const compare = useAppState((s) => s.compare);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const [mode, setMode] = useState<Mode>('steps');
  // Shown as a transition in a task of its own, after the step's commit (takeTurns.ts).
  const result = useTakingTurns(compare?.result ?? null);
  const panel = useMemo(() => result && <ComparePanel comparison={result} />, [result]);
  if (invalid && mode === 'steps') return null;
  return (
    <section className="panel" aria-labelledby="compare-title" data-testid="compare-section" data-mode={mode}>
      <div className="panel-head">
        <h2 id="compare-title">{mode === 'steps' ? 'Compare two steps' : 'Compare two reports'}</h2>
        <div role="radiogroup" aria-label="Compare" className="segmented">
          {(
            [
              ['steps', 'Two steps'],
              ['reports', 'Two reports'],
            ] as const
          ).map(([m, label]) => (
            <label key={m} className="inline">
              <input
                type="radio"
                name="compare-mode"
                data-testid={`compare-mode-${m}`}
                checked={mode === m}
                onChange={() => setMode(m)}
              />{' '}
              {label}
            </label>
          ))}
        </div>
        {mode === 'steps' && <ComparePicker />}
      </div>
      {mode === 'reports' ? (
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <ReportCompare />
        </Suspense>
      ) : (
        <>
          {!compare && <p className="muted">Select two or more combinations to compare their steps.</p>}
          {compare?.error && (
            <p className="hr-error" role="alert" data-testid="compare-error">
              {compare.error}
            </p>
          )}
          {panel}
          {compare && !compare.result && compare.status === 'loading' && <p className="muted">Comparing…</p>}
        </>
      )}
    </section>
  );
}
