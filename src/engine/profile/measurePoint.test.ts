/** measurePoint: what it asks of the runtime, and that failures become point errors, not throws. */
import { describe, expect, it } from 'vitest';
import type { MeasureRequest } from '../runtime/types';
import { fakeMeasureResult } from '../testing/fakeMeasureResult';
import { measurePoint } from './measurePoint';

const config = { seq: 8, embd: 16, heads: 2 };

const fakeResult = (loss: number) =>
  fakeMeasureResult({ loss, peakLiveBytes: 1000, peakReservedBytes: 1200 });

describe('measurePoint', () => {
  it('feeds x at the batch, names every node with scope and phase, and fills the point', async () => {
    let seen: MeasureRequest | undefined;
    const p = await measurePoint({ config, strategy: 'copy', batch: 3 }, async (req) => {
      seen = req;
      return fakeResult(0.5);
    });
    expect(seen!.cacheMode).toBe('lazyRelease');
    expect(Object.keys(seen!.feeds)).toEqual(['x']);
    expect(seen!.feeds['x']!.dims).toEqual([3, 8, 16]);
    expect(seen!.feeds['x']!.data).toHaveLength(3 * 8 * 16);
    expect(seen!.nodes.filter((n) => n.opType === 'Transpose').length).toBe(14);
    expect(seen!.nodes.every((n) => n.scope && (n.phase === 'forward' || n.phase === 'backward'))).toBe(true);
    expect(seen!.model.byteLength).toBeGreaterThan(16 * 48 * 4); // c_attn.weight is an initializer
    expect(p).toMatchObject({ strategy: 'copy', batch: 3, retention: 'minimal', error: null });
    expect(p.measured).toMatchObject({ peakLiveBytes: 1000, peakReservedBytes: 1200, loss: 0.5 });
  });

  it('refuses an invalid configuration without running anything', async () => {
    let ran = false;
    const p = await measurePoint(
      { config: { seq: 8, embd: 10, heads: 3 }, strategy: 'view', batch: 1 },
      async () => {
        ran = true;
        return fakeResult(1);
      },
    );
    expect(ran).toBe(false);
    expect(p.measured).toBeNull();
    expect(p.error).toEqual({
      code: 'invalid-config',
      message: 'embedding size 10 is not divisible by 3 heads',
    });
  });

  it('returns a runtime failure as the point error, with its code', async () => {
    const p = await measurePoint({ config, strategy: 'view', batch: 2 }, async () => {
      throw Object.assign(new Error('session: out of memory'), { code: 'session' });
    });
    expect(p.error).toEqual({ code: 'session', message: 'session: out of memory' });
  });

  it('treats a non-finite loss as a failed step', async () => {
    const p = await measurePoint({ config, strategy: 'view', batch: 2 }, async () => fakeResult(Number.NaN));
    expect(p.error?.message).toMatch(/no finite loss/);
  });
});
