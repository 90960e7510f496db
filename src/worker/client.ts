/** The page's handle on the measuring worker (the UI never imports onnxruntime-web itself). */
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { Point } from '../engine/report/schema';
import { unmeasuredPoint } from '../engine/report/points';
import type { HeadroomApi, PointRequest } from './api';
import type { MeasureWorkerApi } from './measure.worker';

export type MeasureClient = Remote<MeasureWorkerApi>;

const workers = new WeakMap<object, Worker>();

/** Starts a measuring worker (one GPU device each) and returns its comlink Remote. */
export function createMeasureClient(): MeasureClient {
  const worker = new Worker(new URL('./measure.worker.ts', import.meta.url), {
    type: 'module',
    name: 'headroom-measure',
  });
  const client = wrap<MeasureWorkerApi>(worker);
  workers.set(client, worker);
  return client;
}

/** Releases the proxy and terminates the worker (and with it its device). */
export function disposeMeasureClient(client: MeasureClient): void {
  const worker = workers.get(client);
  if (!worker) return;
  client[releaseProxy]();
  worker.terminate();
  workers.delete(client);
}

/** The point a request stood for, cancelled while it ran: its worker was ended. */
function abandonedPoint(req: PointRequest): Point {
  return unmeasuredPoint(
    { strategy: req.spec.strategy, retention: req.spec.retention, batch: req.batch },
    'cancelled',
    'abandoned while it ran: its worker and GPU device were released',
  );
}

/**
 * The UI's HeadroomApi over a measuring worker, started by the first call. `abandon` ends the worker
 * of the point in flight
 * (started again on the next call); `dispose` ends it for good.
 */
export function createHeadroomApi(start: () => MeasureClient = createMeasureClient): HeadroomApi {
  // Started by the first call (the probe), not with the page: its code is not needed for the first chart.
  let client: MeasureClient | null = null;
  let disposed = false;
  /** Resolves the point in flight when it is abandoned. */
  let abandonInFlight: (() => void) | null = null;
  const current = (): MeasureClient => {
    if (disposed) throw new Error('the measuring worker has been shut down');
    return (client ??= start());
  };
  const end = () => {
    if (client) disposeMeasureClient(client);
    client = null;
  };
  return {
    probeWebGpu: async () => {
      const p = await current().probeWebGpu();
      const device =
        p.available && p.info && p.limits
          ? {
              adapter: p.adapter ?? '',
              vendor: p.info.vendor,
              architecture: p.info.architecture,
              limits: p.limits,
            }
          : undefined;
      return {
        available: p.available,
        reason: p.reason,
        adapter: p.adapter,
        ...(p.fallback !== undefined ? { fallback: p.fallback } : {}),
        ...(device ? { device } : {}),
      };
    },
    onnxModel: (req) => current().onnxModel(req),
    measurePoint: async (req: PointRequest): Promise<Point> => {
      const running = current().measurePoint(req);
      const abandoned = new Promise<Point>((resolve) => {
        abandonInFlight = () => resolve(abandonedPoint(req));
      });
      try {
        return await Promise.race([running, abandoned]);
      } finally {
        abandonInFlight = null;
      }
    },
    abandon: () => {
      if (!abandonInFlight) return;
      end();
      abandonInFlight();
    },
    dispose: () => {
      disposed = true;
      end();
    },
  };
}
