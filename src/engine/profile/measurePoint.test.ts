/** measurePoint: what it asks of the runtime, and that failures become point errors, not throws. */
import { describe, expect, it } from 'vitest';
import type { MeasureRequest, MeasureResult } from '../runtime/types';
import { attentionLayerModel } from '../models/config';
import { PRESETS, type BuildSpec } from '../models/spec';
import type { RetentionName, StrategyName } from '../vocabulary';
import { fakeMeasureResult } from '../testing/fakeMeasureResult';
import { measurePoint } from './measurePoint';
import { sweepPlanner } from './planner';
import type { StepRuntime } from './sweep';

/** A runtime that measures with `fn` and has nothing to reset. */
const rt = (fn: (req: MeasureRequest) => Promise<MeasureResult>): StepRuntime => ({
  measureStep: fn,
  resetDevice() {},
});

const config = { seq: 8, embd: 16, heads: 2 };
/** One attention layer of `config` under a strategy (minimal retention unless given). */
const spec = (strategy: StrategyName, c = config, retention: RetentionName = 'minimal'): BuildSpec => ({
  model: attentionLayerModel(c),
  strategy,
  retention,
  chunk: 64,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
});

const fakeResult = (loss: number) =>
  fakeMeasureResult({ loss, peakLiveBytes: 1000, peakReservedBytes: 1200 });

describe('measurePoint', () => {
  it('feeds x at the batch, names every node with scope and phase, and fills the point', async () => {
    let seen: MeasureRequest | undefined;
    const p = await measurePoint(
      { spec: spec('copy'), batch: 3, allocator: 'lazy' },
      rt(async (req) => {
        seen = req;
        return fakeResult(0.5);
      }),
    );
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
      { spec: spec('view', { seq: 8, embd: 10, heads: 3 }), batch: 1, allocator: 'lazy' },
      rt(async () => {
        ran = true;
        return fakeResult(1);
      }),
    );
    expect(ran).toBe(false);
    expect(p.measured).toBeNull();
    expect(p.error).toEqual({
      code: 'invalid-config',
      message: 'embedding size 10 is not divisible by 3 heads',
    });
  });

  it('returns a runtime failure as the point error, with its code', async () => {
    const p = await measurePoint(
      { spec: spec('view'), batch: 2, allocator: 'lazy' },
      rt(async () => {
        throw Object.assign(new Error('session: Failed to create GPU buffer: size=1024'), {
          code: 'session',
        });
      }),
    );
    expect(p.error).toEqual({ code: 'oom', message: 'session: Failed to create GPU buffer: size=1024' });
  });

  it('treats a non-finite loss as a failed step', async () => {
    const p = await measurePoint(
      { spec: spec('view'), batch: 2, allocator: 'lazy' },
      rt(async () => fakeResult(Number.NaN)),
    );
    expect(p.error?.message).toMatch(/no finite loss/);
  });

  it('fills the plan, and skips a point whose largest tensor exceeds the device limits', async () => {
    let ran = 0;
    const runtime = rt(async () => {
      ran++;
      return fakeResult(1);
    });
    const planner = sweepPlanner('lazy');
    const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };
    const ok = await measurePoint({ spec: spec('view'), batch: 2, allocator: 'lazy' }, runtime, {
      planner,
      limits,
    });
    expect(ok.predicted?.peakBytes).toBeGreaterThan(0);
    // [B, H, T, T] scores at batch 2: 2 * 2 * 8 * 8 * 4 = 1 KiB; a 512-byte binding limit refuses them.
    const small = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 512 };
    const skipped = await measurePoint({ spec: spec('view'), batch: 2, allocator: 'lazy' }, runtime, {
      planner,
      limits: small,
    });
    expect(skipped.error?.code).toBe('over-limit');
    expect(skipped.measured).toBeNull();
    expect(ran).toBe(1);
  });

  it('runs with the allocator asked for, and builds the whole GPT of a spec', async () => {
    let seen: MeasureRequest | undefined;
    const gpt: BuildSpec = {
      model: PRESETS.tiny,
      strategy: 'view',
      retention: 'tape',
      chunk: 8,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    };
    const p = await measurePoint(
      { spec: gpt, batch: 2, allocator: 'bucket' },
      rt(async (req) => {
        seen = req;
        return fakeResult(2);
      }),
    );
    expect(seen!.cacheMode).toBe('bucket');
    expect(Object.keys(seen!.feeds).sort()).toEqual(['targets', 'tokens']);
    expect(seen!.feeds['tokens']!.dims).toEqual([2, PRESETS.tiny.seq]);
    expect(seen!.nodes.some((n) => n.scope.startsWith('block1/mlp'))).toBe(true);
    expect(p).toMatchObject({ strategy: 'view', retention: 'tape', batch: 2, error: null });
  });

  it('refuses a batch that is not a positive whole number, or an unknown allocator, without running', async () => {
    let ran = false;
    const runtime = rt(async () => {
      ran = true;
      return fakeResult(1);
    });
    const zero = await measurePoint({ spec: spec('view'), batch: 0, allocator: 'lazy' }, runtime);
    expect(zero.error?.code).toBe('invalid-config');
    expect(zero.error?.message).toMatch(/batch must be a whole number/);
    const alloc = await measurePoint(
      // A request from outside the type system (the worker boundary), so an unknown allocator.
      { spec: spec('view'), batch: 1, allocator: 'pool' as unknown as 'lazy' },
      runtime,
    );
    expect(alloc.error?.message).toMatch(/allocator must be one of lazy, bucket/);
    expect(ran).toBe(false);
  });
});
