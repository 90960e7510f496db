import { describe, expect, it } from 'vitest';
import { f16Refusal } from './f16Support';
import { measurePoint } from './measurePoint';
import type { BuildSpec } from '../models/spec';
import { PRESETS } from '../models/spec';

const spec = (dtype: BuildSpec['dtype']): BuildSpec => ({
  model: PRESETS.tiny,
  strategy: 'view',
  retention: 'minimal',
  chunk: 64,
  dtype,
  optimizer: 'none',
  microBatches: 1,
});

describe('f16 compute without shader-f16', () => {
  it('refuses f16 and mixed on an adapter without the feature, naming it', () => {
    expect(f16Refusal('mixed', [], 'SwiftShader')).toBe(
      "dtype mixed needs the adapter's shader-f16 feature (f16 compute); SwiftShader has none",
    );
    expect(f16Refusal('f16', ['timestamp-query'], '')).toBe(
      "dtype f16 needs the adapter's shader-f16 feature (f16 compute); this adapter has none",
    );
    expect(f16Refusal('f32', [], 'SwiftShader')).toBeNull();
    expect(f16Refusal('mixed', ['shader-f16'], 'NVIDIA')).toBeNull();
  });

  it("a page's point of such a step comes back with the reason, nothing run", async () => {
    let runs = 0;
    const runtime = {
      measureStep: async () => {
        runs++;
        throw new Error('must not run');
      },
      resetDevice: () => {},
    };
    const device = { features: ['timestamp-query'], adapter: 'SwiftShader' };
    const point = await measurePoint({ spec: spec('mixed'), batch: 2, allocator: 'lazy' }, runtime, {
      device,
    });
    expect(point.error).toEqual({
      code: 'invalid-config',
      message: "dtype mixed needs the adapter's shader-f16 feature (f16 compute); SwiftShader has none",
    });
    expect(point.measured).toBeNull();
    expect(runs).toBe(0);
  });
});
