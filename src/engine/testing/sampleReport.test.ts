import { describe, expect, it } from 'vitest';
import { sampleReport } from './sampleReport';

describe('sampleReport', () => {
  it('is a valid report whose peaks follow from its op records', () => {
    const r = sampleReport();
    const p = r.points[0]!;
    expect(p.measured!.peakLiveBytes).toBe(p.predicted!.peakBytes);
    const ops = p.predicted!.ops;
    // The peak of a step is liveBytesAfter of the step before plus allocBytes of this one.
    const peaks = ops.map((o, i) =>
      i === 0 ? o.liveBytesAfter + o.freedBytes : ops[i - 1]!.liveBytesAfter + o.allocBytes,
    );
    expect(Math.max(...peaks)).toBe(p.predicted!.peakBytes);
    expect(r.points.map((x) => x.error?.code ?? null)).toEqual([null, null, 'oom', 'invalid-config']);
  });
});
