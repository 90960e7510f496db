/**
 * The page's plan workers: a pool of module workers (plan.worker.ts), each a ComboPlanner behind
 * comlink, routed and queued by planPool.ts. Planning never runs on the page's thread.
 */
import { releaseProxy, wrap, type Endpoint } from 'comlink';
import type { PlanApi } from './planApi';
import type { PlanWorkerApi } from './planWorkerApi';
import { createPoolWith, defaultPoolSize, type PlanEndpoint } from './planPool';

/** What the pool needs of a Worker (a real one, or a fake in tests). */
export type WorkerLike = Endpoint & { terminate(): void };

let started = 0;
const startPlanWorker = (role: 'plan' | 'fit' = 'plan'): WorkerLike =>
  role === 'fit'
    ? new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module', name: 'headroom-fit' })
    : new Worker(new URL('./plan.worker.ts', import.meta.url), {
        type: 'module',
        name: `headroom-plan-${started++}`,
      });

/** A comlink endpoint over a worker; `died` when it reports an error it did not catch or cannot load. */
function endpointOf(worker: WorkerLike, died: (reason: string) => void): PlanEndpoint {
  const remote = wrap<PlanWorkerApi>(worker);
  const onError = (e: Event) => {
    const message = (e as ErrorEvent).message;
    died(message ? `error: ${message}` : 'it failed to load or crashed');
  };
  const onMessageError = () => died('a message could not be read');
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onMessageError);
  return {
    curves: (reqs) => remote.curves(reqs),
    cancelCurves: () => void remote.cancelCurves(),
    warm: (req) => remote.warm(req),
    step: (req) => remote.step(req),
    compare: (a, b) => remote.compare(a, b),
    fit: (req) => remote.fit(req),
    cancelFit: () => void remote.cancelFit(),
    close: () => {
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onMessageError);
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}

/** `size` plan workers (default: one less than the cores, 2 to 4 where there are 2 or more). */
export function createPlanPool(
  size: number = defaultPoolSize(
    typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency,
  ),
  start: (role: 'plan' | 'fit') => WorkerLike = startPlanWorker,
): PlanApi {
  return createPoolWith(size, (died, role) => endpointOf(start(role), died));
}
