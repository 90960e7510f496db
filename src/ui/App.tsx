/** The page: configuration and Measure on the left, the chart and the selected point's ops on the right. */
import { ConfigPanel } from './ConfigPanel';
import { MethodPanel } from './MethodPanel';
import { MeasureButton } from './MeasureButton';
import { MemoryChart } from './MemoryChart';
import { OpsTable } from './OpsTable';
import { PointErrors } from './PointErrors';
import { ResultsCaption } from './ResultsCaption';
import { WebGpuBadge } from './WebGpuBadge';
import { WebGpuNotice } from './WebGpuNotice';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>Headroom</h1>
          <p className="tagline">
            How much GPU memory one training step of a transformer&rsquo;s attention needs, measured op by op,
            for each way of writing attention and each batch size.
          </p>
        </div>
        <WebGpuBadge />
      </header>
      <WebGpuNotice />
      <main className="layout">
        <aside className="sidebar">
          <ConfigPanel />
          <MethodPanel />
          <MeasureButton />
        </aside>
        <div className="results">
          <section className="panel" aria-labelledby="chart-title">
            <h2 id="chart-title">Memory by batch size</h2>
            <ResultsCaption />
            <div className="chart-row">
              <MemoryChart />
              <PointErrors />
            </div>
          </section>
          <OpsTable />
        </div>
      </main>
    </div>
  );
}
