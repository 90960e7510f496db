import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../testing/sampleReport';
import { chromeTrace, type ChromeTrace } from './trace';

/** The structure the Trace Event Format documents, checked event by event. */
function expectValidTrace(t: ChromeTrace) {
  // JSON Object Format: traceEvents, displayTimeUnit 'ms' or 'ns'; it survives JSON.
  expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  expect(['ms', 'ns']).toContain(t.displayTimeUnit);
  const lastTs = new Map<string, number>();
  for (const ev of t.traceEvents) {
    expect(typeof ev.ph).toBe('string');
    expect(Number.isFinite(ev.ts)).toBe(true);
    expect(Number.isInteger(ev.pid)).toBe(true);
    expect(Number.isInteger(ev.tid)).toBe(true);
    expect(typeof ev.name).toBe('string');
    if (ev.ph === 'X') expect(ev.dur).toBeGreaterThanOrEqual(0);
    if (ev.ph === 'C') {
      expect(Object.keys(ev.args!).length).toBeGreaterThan(0);
      for (const v of Object.values(ev.args!)) expect(typeof v).toBe('number');
    }
    if (ev.ph === 'M') expect(typeof ev.args!.name).toBe('string');
    if (ev.ph === 'i') expect(['g', 'p', 't']).toContain(ev.s);
    const key = `${ev.pid}/${ev.tid}`;
    expect(ev.ts, `${ev.ph} ${ev.name}`).toBeGreaterThanOrEqual(lastTs.get(key) ?? 0);
    lastTs.set(key, ev.ts);
  }
}

describe('chromeTrace', () => {
  it('lays the measured nodes end to end by GPU time, with live bytes as a counter', () => {
    const r = sampleReport();
    const p = r.points[1]!;
    const t = chromeTrace(r, p);
    expectValidTrace(t);
    const ops = p.measured!.ops;
    const xs = t.traceEvents.filter((e) => e.ph === 'X');
    expect(xs.map((e) => e.name)).toEqual(ops.map((o) => o.node));
    expect(xs.map((e) => e.cat)).toEqual(ops.map((o) => o.phase));
    expect(xs.map((e) => e.dur)).toEqual(ops.map((o) => (o.gpuMs ?? 0) * 1000));
    for (let i = 1; i < xs.length; i++) expect(xs[i]!.ts).toBe(xs[i - 1]!.ts + xs[i - 1]!.dur!);
    expect(xs[1]!.args).toMatchObject({
      opType: 'MatMul',
      scope: 'block0/attention/c_attn',
      allocBytes: ops[1]!.allocBytes,
    });
    expect(xs[0]!.args!.outputs).toEqual([
      { name: 'input', shape: [4, 16, 32], dtype: 'float', bytes: 8192 },
    ]);
    // The counter reaches the measured peak, and ends at the last node's live bytes.
    const live = t.traceEvents.filter((e) => e.ph === 'C').map((e) => e.args!.live as number);
    expect(Math.max(...live)).toBe(p.measured!.peakLiveBytes);
    expect(live.at(-1)).toBe(ops.at(-1)!.liveBytesAfter);
    const peak = t.traceEvents.find((e) => e.ph === 'i')!;
    expect(peak.args).toEqual({ liveBytes: p.measured!.peakLiveBytes, node: t.metadata.peakNode });
    expect(t.metadata).toMatchObject({
      point: 'view/minimal@4',
      ops: 'measured',
      timing: 'gpuMs',
      peakReservedBytes: p.measured!.peakReservedBytes,
    });
    expect(t.traceEvents.filter((e) => e.ph === 'M').map((e) => e.name)).toEqual([
      'process_name',
      'thread_name',
    ]);
  });

  it('gives every planned node 1 ms and says so', () => {
    const r = sampleReport({ measured: false });
    const p = r.points[0]!;
    const t = chromeTrace(r, p);
    expectValidTrace(t);
    const xs = t.traceEvents.filter((e) => e.ph === 'X');
    expect(xs.map((e) => [e.ts, e.dur])).toEqual(p.predicted!.ops.map((_, i) => [i * 1000, 1000]));
    expect(t.metadata).toMatchObject({ ops: 'predicted', timing: 'uniform-1ms', peakReservedBytes: null });
    expect(t.metadata.note).toMatch(/every node lasts 1 ms/);
    expect(Math.max(...t.traceEvents.filter((e) => e.ph === 'C').map((e) => e.args!.live as number))).toBe(
      p.predicted!.peakBytes,
    );
  });

  it('takes the side asked for, and refuses a side the point lacks', () => {
    const r = sampleReport();
    expect(chromeTrace(r, r.points[0]!, { ops: 'predicted' }).metadata.ops).toBe('predicted');
    expect(() => chromeTrace(r, r.points[2]!, { ops: 'measured' })).toThrow(
      /fused\/minimal@2 has no measurement/,
    );
    expect(() => chromeTrace(r, r.points[3]!)).toThrow(/copy\/tape@2 has no plan/);
  });
});
