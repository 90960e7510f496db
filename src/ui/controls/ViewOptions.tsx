/** How results are shown: the metric plotted (live or reserved bytes) and the theme. */
import { useAppState } from '../StoreContext';

export function MetricPicker() {
  const metric = useAppState((s) => s.metric);
  const setMetric = useAppState((s) => s.setMetric);
  return (
    <div className="hr-inline-group" role="radiogroup" aria-label="Memory shown">
      <label className="hr-inline" title="bytes of tensors in use">
        <input
          type="radio"
          name="metric"
          data-testid="metric-live"
          checked={metric === 'live'}
          onChange={() => setMetric('live')}
        />{' '}
        live
      </label>
      <label className="hr-inline" title="bytes the allocator holds (its pool), in use or not">
        <input
          type="radio"
          name="metric"
          data-testid="metric-reserved"
          checked={metric === 'reserved'}
          onChange={() => setMetric('reserved')}
        />{' '}
        reserved
      </label>
    </div>
  );
}

export function ThemeToggle() {
  const theme = useAppState((s) => s.theme);
  const toggleTheme = useAppState((s) => s.toggleTheme);
  return (
    <button type="button" data-testid="theme-toggle" aria-pressed={theme === 'dark'} onClick={toggleTheme}>
      {theme === 'dark' ? 'Light theme' : 'Dark theme'}
    </button>
  );
}

/** What the address's parameters said that was dropped. */
export function UrlWarnings() {
  const warnings = useAppState((s) => s.urlWarnings);
  if (warnings.length === 0) return null;
  return (
    <section
      className="hr-url-warnings"
      role="status"
      data-testid="url-warnings"
      aria-label="Link parameters ignored"
    >
      <p>Some of this link’s settings were not understood and were left out:</p>
      <ul>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
