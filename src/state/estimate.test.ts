/** The measuring time estimate: FLOPs over the adapter's rate, plus a warm-up. */
import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../engine/models/build';
import { PRESETS } from '../engine/models/spec';
import {
  calibratedRate,
  estimateSeconds,
  formatEstimate,
  isCpuAdapter,
  paramCount,
  stepFlops,
} from './estimate';

describe('estimate', () => {
  it('counts the parameters the built graph has (LM head tied to the embedding)', () => {
    for (const model of [PRESETS.seed, PRESETS.tiny, { ...PRESETS.tiny, attentionOnly: true }]) {
      const g = buildTrainingGraph({
        model,
        strategy: 'view',
        retention: 'minimal',
        chunk: 64,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
      });
      const built = g.params.reduce(
        (n, p) => n + g.info(p).shape.reduce<number>((a, d) => a * Number(d), 1),
        0,
      );
      expect(paramCount(model)).toBe(built);
    }
    expect(paramCount(PRESETS.seed)).toBe(10_770_816);
  });

  it('is slow on a CPU adapter and fast on a GPU, and shrinks once calibrated', () => {
    const spec = { model: PRESETS.seed };
    const cpu = estimateSeconds(spec, [1, 2], { cpu: true });
    const gpu = estimateSeconds(spec, [1, 2], { cpu: false });
    expect(cpu).toBeCloseTo(40 + (stepFlops(PRESETS.seed, 1) + stepFlops(PRESETS.seed, 2)) / 2e9);
    expect(cpu).toBeGreaterThan(60);
    expect(gpu).toBeLessThan(6);
    const rate = calibratedRate(PRESETS.seed, 1, 500)!;
    expect(estimateSeconds(spec, [1], { cpu: true, flopsPerSecond: rate, warm: true })).toBeCloseTo(0.5);
    expect(calibratedRate(PRESETS.seed, 1, 0)).toBeNull();
  });

  it('recognises SwiftShader and fallback adapters', () => {
    expect(isCpuAdapter({ adapter: 'Google SwiftShader' })).toBe(true);
    expect(isCpuAdapter({ adapter: 'nvidia ampere', fallback: true })).toBe(true);
    expect(isCpuAdapter({ adapter: 'nvidia ampere' })).toBe(false);
    expect(isCpuAdapter(null)).toBe(false);
  });

  it('says durations in words', () => {
    expect(formatEstimate(12.4)).toBe('about 12 s');
    expect(formatEstimate(180)).toBe('about 3 min');
    expect(formatEstimate(3 * 3600)).toBe('about 3 h');
  });
});
