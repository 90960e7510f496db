/** The page's API over the worker: abandoning the point in flight, then starting afresh. */
import { describe, expect, it } from 'vitest';
import type { PointRequest } from './api';
import { createHeadroomApi, type MeasureClient } from './client';
import type { Point } from '../engine/report/schema';
import { PRESETS } from '../engine/models/spec';

const req: PointRequest = {
  spec: {
    model: { ...PRESETS.tiny },
    strategy: 'view',
    retention: 'tape',
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  },
  batch: 2,
  allocator: 'lazy',
};
const measuredPoint = (r: PointRequest): Point => ({
  strategy: r.spec.strategy,
  retention: r.spec.retention,
  batch: r.batch,
  predicted: null,
  measured: { peakLiveBytes: 64, peakReservedBytes: 64, unattributedBytes: 0, stepMs: 1, loss: 1, ops: [] },
  error: null,
});

describe('createHeadroomApi', () => {
  it('abandon resolves the point in flight as cancelled, and the next point runs on a fresh worker', async () => {
    const started: string[] = [];
    const start = () => {
      const id = `worker${started.length + 1}`;
      started.push(id);
      const client = {
        // the first worker's step never ends; the second one's does
        measurePoint: (r: PointRequest) =>
          id === 'worker1' ? new Promise(() => {}) : Promise.resolve(measuredPoint(r)),
      };
      return client as unknown as MeasureClient;
    };
    const api = createHeadroomApi(start);
    expect(started).toEqual([]); // nothing started until it is needed
    const running = api.measurePoint(req);
    api.abandon();
    const abandoned = await running;
    expect(abandoned.measured).toBeNull();
    expect(abandoned).toMatchObject({ strategy: 'view', retention: 'tape', batch: 2 });
    expect(abandoned.error).toEqual({
      code: 'cancelled',
      message: 'abandoned while it ran: its worker and GPU device were released',
    });
    const next = await api.measurePoint(req);
    expect(next.measured?.peakLiveBytes).toBeGreaterThan(0);
    expect(started).toEqual(['worker1', 'worker2']);
    api.abandon(); // nothing in flight: nothing happens
    expect(started).toHaveLength(2);
    api.dispose();
    await expect(api.measurePoint(req)).rejects.toThrow('the measuring worker has been shut down');
  });
});
