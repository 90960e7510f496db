/**
 * The page: the controls on the left; on the right the planned curves of every selected
 * combination, one step op by op, and two steps compared. The theme is set on the document root.
 */
import { useEffect } from 'react';
import { BudgetPicker } from './controls/BudgetPicker';
import { ComboPicker } from './controls/ComboPicker';
import { MeasurePanel } from './controls/MeasurePanel';
import { ModelControls } from './controls/ModelControls';
import { OptionsControls } from './controls/OptionsControls';
import { PresetPicker } from './controls/PresetPicker';
import { TrainingControls } from './controls/TrainingControls';
import { ThemeToggle, UrlWarnings } from './controls/ViewOptions';
import { PointErrors } from './PointErrors';
import { DropZone } from './reports/DropZone';
import { ReportsPanel } from './reports/ReportsPanel';
import { TorchSlot } from './reports/TorchSlot';
import { useOpenFiles } from './reports/useOpenFiles';
import { CompareSection } from './sections/CompareSection';
import { FitSection } from './sections/FitSection';
import { PlannedSection } from './sections/PlannedSection';
import { ShareButton } from './sections/ShareButton';
import { StepSection } from './sections/StepSection';
import { useAppState } from './StoreContext';
import { WebGpuBadge } from './WebGpuBadge';
import { WebGpuNotice } from './WebGpuNotice';

export function App() {
  const theme = useAppState((s) => s.theme);
  const opener = useOpenFiles();
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <DropZone onFiles={(files) => void opener.open(files)}>
      <div className="app">
        <header className="app-header">
          <div>
            <h1>Headroom</h1>
            <p className="tagline">
              Where every byte of a transformer training step goes on the GPU, and which batch fits: planned
              instantly for the whole model, measured on your GPU on demand, explored op by op.
            </p>
          </div>
          <div className="header-actions">
            <WebGpuBadge />
            <ShareButton />
            <ThemeToggle />
          </div>
        </header>
        <UrlWarnings />
        <WebGpuNotice />
        <main className="layout">
          <aside className="sidebar" aria-label="Configuration">
            <div className="hr-group">
              <PresetPicker />
              <BudgetPicker />
            </div>
            <ModelControls />
            <ComboPicker />
            <TrainingControls />
            <OptionsControls />
            <MeasurePanel />
          </aside>
          <div className="results">
            <ReportsPanel opener={opener} />
            <PlannedSection />
            <FitSection />
            <PointErrors />
            <StepSection />
            <CompareSection />
            <TorchSlot />
          </div>
        </main>
      </div>
    </DropZone>
  );
}
