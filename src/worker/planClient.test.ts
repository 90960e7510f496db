import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../engine/explore/planner';
import type { CurveRequest } from '../engine/explore/types';
import { PRESETS } from '../engine/models/spec';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';
import { createPlanPool, type WorkerLike } from './planClient';

/** A "worker" on the other end of a MessageChannel, answering as plan.worker.ts does. */
function channelWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  const planner = new ComboPlanner();
  expose(
    {
      curve: (req: CurveRequest) => planner.curve(req),
      warm: (req: CurveRequest) => void planner.curve(req),
    },
    port2,
  );
  return Object.assign(port1, { terminate: () => port1.close() });
}

const request = (embd: number): CurveRequest => ({
  config: {
    model: { ...PRESETS.tiny, embd },
    chunk: 8,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
    allocator: 'lazy',
    loss: 'standard',
    lossChunk: 128,
  },
  combo: { strategy: 'view', retention: 'minimal' },
  budgetBytes: 2 ** 24,
  limits: WEBGPU_DEFAULT_LIMITS,
  minBatch: 1,
  reserved: false,
});

describe('createPlanPool over comlink', () => {
  it('answers a curve, and rejects with the validation message for a model that cannot be built', async () => {
    const pool = createPlanPool(1, channelWorker);
    try {
      const curve = await pool.curve(request(32));
      expect(curve.budgetMaxBatch).toBeGreaterThan(0);
      await expect(pool.curve(request(30))).rejects.toThrow('embedding size 30 is not divisible by 4 heads');
      // The worker goes on.
      expect((await pool.curve(request(64))).points.length).toBeGreaterThan(0);
      // Planning ahead: the curve is planned into the worker's cache, and nothing comes back.
      await expect(pool.warm(request(128))).resolves.toBeUndefined();
      await expect(pool.warm(request(30))).rejects.toThrow('embedding size 30 is not divisible by 4 heads');
    } finally {
      pool.dispose();
    }
  });
});
