/** Page entry: starts the measuring worker and the plan workers, probes WebGPU and mounts the UI. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './state/store';
import { App } from './ui/App';
import { StoreProvider } from './ui/StoreContext';
import type { HeadroomApi } from './worker/api';
import { createHeadroomApi } from './worker/client';
import type { PlanApi } from './worker/planApi';
import { createPlanPool } from './worker/planClient';
import './ui/views/theme.css';
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
      onnxModel: async () => Promise.reject(new Error(reason)),
      abandon: () => {},
      dispose: () => {},
    };
  }
}

/** The plan workers, or, when they cannot start, a planner that says why on every request. */
function startPlan(): PlanApi {
  try {
    return createPlanPool();
  } catch (err) {
    const reason = `the plan workers could not start (${err instanceof Error ? err.message : String(err)})`;
    const fail = () => Promise.reject(new Error(reason));
    return {
      curves: (reqs) => reqs.map(fail),
      warm: fail,
      step: fail,
      compare: fail,
      fit: fail,
      cancelFit: () => {},
      cancelQueued: () => {},
      dispose: () => {},
    };
  }
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
/**
 * The WebGPU probe starts the measuring worker: after the first planned chart is drawn (or 2 s),
 * so that its code does not compete with the first chart. The adapter's limits then refine the
 * buffer-limit answers.
 */
let probed = false;
const probe = () => {
  if (probed) return;
  probed = true;
  observer?.disconnect();
  void store.getState().probe();
};
const observer =
  typeof PerformanceObserver === 'function'
    ? new PerformanceObserver((list) => {
        if (list.getEntriesByName('headroom:drawn').length > 0) probe();
      })
    : null;
observer?.observe({ type: 'mark' });
setTimeout(probe, 2000);
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
