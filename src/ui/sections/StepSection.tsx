/**
 * One step, op by op, for the chosen point: planned at once (and measured where it was): its peak
 * and what makes it up, a timeline of live bytes, the tensors live at the peak, every op.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { comboKey, type StepDetail } from '../../engine/explore/types';
import { formatBytes } from '../../engine/report/bytes';
import type { Measured } from '../../engine/report/schema';
import { CATEGORIES } from '../../engine/vocabulary';
import { measuredPointOf } from '../../state/measureSweep';
import { importedLabel } from '../../state/reports';
import { planKeyOf } from '../../state/store';
import { StepPicker } from '../controls/PointPicker';
import { formatDuration } from '../format';
import { useAppState } from '../StoreContext';
import { useTakingTurns } from '../takeTurns';
import { AtPeakTable } from '../views/AtPeakTable';
import { OpsTable } from '../views/OpsTable';

/**
 * The timeline loads after the page's first planned chart, in a chunk of its own: the planned
 * chart needs none of it.
 */
const StepTimeline = lazy(() => import('../views/StepTimeline').then((m) => ({ default: m.StepTimeline })));

const TABS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'peak', label: 'At the peak' },
  { id: 'ops', label: 'Ops' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The measured ops of the step shown, when that point was measured under the configuration on screen. */
function useMeasuredOps(detail: StepDetail | null): Measured | null {
  const measured = useAppState((s) => s.measured);
  const measuredKey = useAppState((s) => s.measuredConfigKey);
  const configKey = useAppState((s) => planKeyOf(s.config));
  return useMemo(() => {
    if (!detail || measuredKey !== configKey) return null;
    const p = measuredPointOf(measured, { combo: detail.combo, batch: detail.batch });
    return p?.measured ?? null;
  }, [detail, measured, measuredKey, configKey]);
}

function Summary({ detail, measured }: { detail: StepDetail; measured: Measured | null }) {
  const measuredPeak = measured?.peakLiveBytes ?? null;
  return (
    <dl className="step-summary" data-testid="step-summary" data-peak-bytes={detail.peakBytes}>
      <div>
        <dt>Planned peak</dt>
        <dd data-testid="step-peak" data-bytes={detail.peakBytes}>
          {formatBytes(detail.peakBytes)} at <code>{detail.peakNode}</code>
        </dd>
      </div>
      {measuredPeak !== null && (
        <div>
          <dt>Measured peak</dt>
          <dd data-testid="step-measured-peak" data-bytes={measuredPeak}>
            {formatBytes(measuredPeak)}
          </dd>
        </div>
      )}
      <div>
        <dt>Reserved</dt>
        <dd>{formatBytes(detail.reservedPeakBytes)}</dd>
      </div>
      <div>
        <dt>Attention</dt>
        <dd>{formatBytes(detail.byScope.attention)}</dd>
      </div>
      {CATEGORIES.filter((c) => detail.byCategory[c] > 0).map((c) => (
        <div key={c}>
          <dt>{c}</dt>
          <dd data-category={c}>{formatBytes(detail.byCategory[c])}</dd>
        </div>
      ))}
    </dl>
  );
}

export function StepSection() {
  const step = useAppState((s) => s.step);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const measuredFrom = useAppState((s) => s.measuredFrom);
  const [tab, setTab] = useState<Tab>('timeline');
  // A new step (thousands of rows) renders as a transition (React yields to input while it draws),
  // in a task of its own: never in the same commit as the comparison or the fit advisor.
  const detail = useTakingTurns(step.detail);
  const measured = useMeasuredOps(detail);
  const measuredLive = useMemo(() => {
    if (!detail || !measured) return undefined;
    const after = new Map(measured.ops.map((o) => [o.node, o.liveBytesAfter]));
    return detail.timeline.map((r) => after.get(r.node) ?? NaN);
  }, [detail, measured]);
  // The views redraw only when what they show changes, not on every move of a control.
  const view = useMemo(() => {
    if (!detail) return null;
    if (tab === 'timeline')
      return (
        <Suspense
          fallback={
            <p className="muted" style={{ minHeight: 320 }}>
              Loading the timeline…
            </p>
          }
        >
          <StepTimeline detail={detail} measuredLive={measuredLive} />
        </Suspense>
      );
    if (tab === 'peak') return <AtPeakTable detail={detail} />;
    return <OpsTable rows={detail.timeline} measured={measured?.ops} />;
  }, [tab, detail, measuredLive, measured]);
  if (invalid) return null;
  return (
    <section
      className="panel"
      aria-labelledby="step-title"
      data-testid="step-section"
      data-status={step.status}
    >
      <div className="panel-head">
        <h2 id="step-title">One step, op by op</h2>
        <StepPicker />
      </div>
      {step.error && (
        <p className="hr-error" role="alert" data-testid="step-error">
          {step.error}
        </p>
      )}
      {detail && (
        <>
          <p
            className="muted"
            data-testid="step-title"
            data-combo={comboKey(detail.combo)}
            data-batch={detail.batch}
          >
            {comboKey(detail.combo)} at batch {detail.batch}
            {measured
              ? measuredFrom
                ? `: measured in ${formatDuration(measured.stepMs)}, ${importedLabel(measuredFrom)}`
                : `: measured on this GPU in ${formatDuration(measured.stepMs)}`
              : ': planned'}
            {step.status === 'loading' ? ' (updating…)' : ''}
          </p>
          <Summary detail={detail} measured={measured} />
          <div role="tablist" aria-label="Step views" className="tabs">
            {TABS.map((t) => (
              <button
                key={t.id}
                role="tab"
                type="button"
                id={`tab-${t.id}`}
                data-testid={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`tabpanel-${t.id}`}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {view}
          </div>
        </>
      )}
      {!detail && step.status === 'loading' && <p className="muted">Planning the step…</p>}
    </section>
  );
}
