/** The page's handle on the measuring worker (the UI never imports onnxruntime-web itself). */
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { Point } from '../engine/report/schema';
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

/** The UI's HeadroomApi over a measuring worker. */
export function createHeadroomApi(client: MeasureClient = createMeasureClient()): HeadroomApi {
  return {
    probeWebGpu: async () => {
      const p = await client.probeWebGpu();
      const device =
        p.available && p.info && p.limits
          ? {
              adapter: p.adapter ?? '',
              vendor: p.info.vendor,
              architecture: p.info.architecture,
              limits: p.limits,
            }
          : undefined;
      return { available: p.available, reason: p.reason, adapter: p.adapter, ...(device ? { device } : {}) };
    },
    measurePoint: (req: PointRequest): Promise<Point> => client.measurePoint(req),
    dispose: () => disposeMeasureClient(client),
  };
}
