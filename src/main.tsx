/** Page entry: starts the measuring worker, probes WebGPU and mounts the UI. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { App } from './ui/App';
import { StoreProvider } from './ui/StoreContext';
import type { HeadroomApi } from './worker/api';
import { createHeadroomApi } from './worker/client';
import './ui/app.css';

/** The worker's API, or, when the worker cannot start, one that says why (never a blank page). */
function startApi(): HeadroomApi {
  try {
    return createHeadroomApi();
  } catch (err) {
    const reason = `the measuring worker could not start (${err instanceof Error ? err.message : String(err)})`;
    return {
      probeWebGpu: async () => ({ available: false, reason }),
      measurePoint: async () => Promise.reject(new Error(reason)),
      abandon: () => {},
      dispose: () => {},
    };
  }
}

const api = startApi();
const store = createAppStore(api);
void store.getState().probe();
// A page that is going away (not into the back/forward cache) ends its worker and GPU device.
addEventListener('pagehide', (e: PageTransitionEvent) => {
  if (!e.persisted) api.dispose();
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
