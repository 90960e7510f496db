/**
 * The page, minimally: the controls on the left; the step shown, the compared pair and the measured
 * ops on the right. (The views — curves, timeline, comparison — are being written separately; the
 * lead wires them in here.)
 */
import { useEffect } from 'react';
import { comboKey } from '../engine/explore/types';
import { formatBytes } from '../engine/report/bytes';
import { BudgetPicker } from './controls/BudgetPicker';
import { ComboPicker } from './controls/ComboPicker';
import { MeasurePanel } from './controls/MeasurePanel';
import { ModelControls } from './controls/ModelControls';
import { OptionsControls } from './controls/OptionsControls';
import { PointPicker } from './controls/PointPicker';
import { PresetPicker } from './controls/PresetPicker';
import { MetricPicker, ThemeToggle, UrlWarnings } from './controls/ViewOptions';
import { OpsTable } from './OpsTable';
import { PointErrors } from './PointErrors';
import { useAppState } from './StoreContext';
import { WebGpuBadge } from './WebGpuBadge';
import { WebGpuNotice } from './WebGpuNotice';

/** Each planned curve's max batch, as text, until the chart view lands. */
function PlanList() {
  const curves = useAppState((s) => s.curves);
  const combos = useAppState((s) => s.config.combos);
  const step = useAppState((s) => s.step);
  const compare = useAppState((s) => s.compare);
  return (
    <section className="panel" aria-labelledby="plan-title">
      <h2 id="plan-title">Planned</h2>
      <ul data-testid="plan-list">
        {combos.map((c) => {
          const k = comboKey(c);
          const curve = curves.byCombo[k];
          const failed = curves.failed[k];
          return (
            <li key={k} data-combo={k}>
              {k}:{' '}
              {curve
                ? `max batch ${curve.maxBatch} (${curve.binds === 'budget' ? 'budget' : 'buffer limit'})`
                : (failed ?? 'planning…')}
            </li>
          );
        })}
      </ul>
      {step.detail && (
        <p data-testid="step-peak">
          {comboKey(step.detail.combo)} @ batch {step.detail.batch}: peak {formatBytes(step.detail.peakBytes)}{' '}
          at {step.detail.peakNode}
        </p>
      )}
      {step.error && <p className="hr-error">{step.error}</p>}
      {compare?.result && <p data-testid="compare-summary">{compare.result.summary}</p>}
    </section>
  );
}

export function App() {
  const theme = useAppState((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>Headroom</h1>
          <p className="tagline">
            How much GPU memory one training step of a transformer needs: planned instantly for the whole
            model, measured on demand, explored op by op.
          </p>
        </div>
        <WebGpuBadge />
        <ThemeToggle />
      </header>
      <UrlWarnings />
      <WebGpuNotice />
      <main className="layout">
        <aside className="sidebar">
          <div className="hr-group">
            <PresetPicker />
            <BudgetPicker />
          </div>
          <ModelControls />
          <ComboPicker />
          <OptionsControls />
          <MeasurePanel />
        </aside>
        <div className="results">
          <MetricPicker />
          <PointPicker />
          <PlanList />
          <PointErrors />
          <OpsTable />
        </div>
      </main>
    </div>
  );
}
