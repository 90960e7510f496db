/** Page entry: starts the measuring worker and the planner, probes WebGPU and mounts the UI. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { App } from './ui/App';
import { StoreProvider } from './ui/StoreContext';
import type { HeadroomApi } from './worker/api';
import { createHeadroomApi } from './worker/client';
import type { PlanApi } from './worker/planApi';
import './ui/app.css';
import './ui/controls/controls.css';

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

/**
 * Placeholder until the plan worker pool (src/worker/planClient.ts) is merged: every request
 * rejects with a message the page shows. The lead replaces this with the pool's client.
 */
function startPlan(): PlanApi {
  const missing = () => Promise.reject(new Error('the planner is not available in this build'));
  return { curve: missing, step: missing, compare: missing, cancelQueued: () => {}, dispose: () => {} };
}

const api = startApi();
const plan = startPlan();
const storage = (() => {
  try {
    return localStorage;
  } catch {
    return undefined; // storage blocked: the URL still keeps the state
  }
})();
const store = createAppStore({ measure: api, plan, storage, initialUrl: location.href });
void store.getState().probe();
// A page that is going away (not into the back/forward cache) ends its worker and GPU device.
addEventListener('pagehide', (e: PageTransitionEvent) => {
  if (!e.persisted) {
    api.dispose();
    plan.dispose();
  }
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
