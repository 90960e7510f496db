import { describe, expect, it } from 'vitest';
import { ComboPlanner } from '../engine/explore/planner';
import type { CurveRequest } from '../engine/explore/types';
import { testPlanConfig } from '../engine/testing/planConfig';
import { WEBGPU_DEFAULT_LIMITS } from '../engine/vocabulary';
import { fromWire, toWire } from './curveWire';

const request = (reserved: boolean): CurveRequest => ({
  config: testPlanConfig(),
  combo: { strategy: 'copy', retention: 'tape' },
  budgetBytes: 64 * 2 ** 20,
  limits: WEBGPU_DEFAULT_LIMITS,
  minBatch: 512,
  reserved,
});

describe('curves on the wire', () => {
  it('a planned curve comes back equal, nulls included, through a structured clone', () => {
    const planner = new ComboPlanner();
    for (const reserved of [false, true]) {
      const curve = planner.curve(request(reserved));
      expect(curve.points.length).toBeGreaterThan(100);
      const nulls = curve.points.filter((p) => p.reservedBytes === null).length;
      expect(nulls).toBeGreaterThan(0);
      const wire = structuredClone(toWire(curve));
      expect(wire.columns).toBeInstanceOf(Float64Array);
      expect(wire).not.toHaveProperty('points');
      expect(fromWire(wire)).toEqual(curve);
    }
  });

  it('a null floor stays null, and bytes past 2^32 stay exact', () => {
    const point = {
      batch: 3,
      peakBytes: 2 ** 40 + 1,
      reservedBytes: 7,
      floorBytes: null,
      largestBufferBytes: 5,
    };
    const curve = { ...new ComboPlanner().curve(request(false)), points: [point] };
    expect(fromWire(structuredClone(toWire(curve))).points).toEqual([point]);
  });
});
