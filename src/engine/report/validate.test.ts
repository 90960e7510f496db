/**
 * The report validator checks meaning, not only types: each of these reports is well-typed JSON
 * that no run of Headroom can produce, and each is refused with one line naming the field.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../models/spec';
import { createReport, parseReport, type Report } from './report';
import type { OpRecord } from './schema';

const op: OpRecord = {
  node: 'n',
  opType: 'Add',
  phase: 'forward',
  scope: 'block0/attention',
  allocBytes: 64,
  freedBytes: 0,
  liveBytesAfter: 64,
  outputs: [{ name: 'n', shape: [2, 8], dtype: 'float', bytes: 64 }],
  gpuMs: null,
};

const measured = {
  peakLiveBytes: 100,
  peakReservedBytes: 128,
  unattributedBytes: 0,
  stepMs: 1,
  loss: 2,
  ops: [op],
};

function valid(): Report {
  return createReport({
    device: null,
    model: { preset: 'tiny', ...PRESETS.tiny },
    dtype: 'f32',
    allocator: 'lazy',
    chunk: 64,
    points: [
      { strategy: 'view', retention: 'minimal', batch: 1, predicted: null, measured, error: null },
      { strategy: 'view', retention: 'minimal', batch: 2, predicted: null, measured, error: null },
    ],
    maxBatch: [{ strategy: 'view', retention: 'minimal', budgetBytes: 1024, batch: 2, limitedBy: 'budget' }],
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests edit arbitrary JSON, any field at any depth
type Json = Record<string, any>;

/** A copy of the valid report with one change. */
function broken(change: (r: Json) => void): unknown {
  const r = JSON.parse(JSON.stringify(valid())) as Json;
  change(r);
  return r;
}

const cases: [string, unknown, string][] = [
  [
    'a point with both a measurement and an error',
    broken((r) => (r.points[0].error = { code: 'oom', message: 'x' })),
    'points[0].error: a point cannot have both a measurement and an error',
  ],
  [
    'live bytes above reserved',
    broken((r) => (r.points[1].measured.peakLiveBytes = 129)),
    'points[1].measured.peakLiveBytes: peakLiveBytes must not exceed peakReservedBytes',
  ],
  [
    'a createdAt that is not a date',
    broken((r) => (r.createdAt = 'yesterday')),
    'createdAt: Invalid ISO datetime',
  ],
  [
    'an embedding size not divisible by the heads',
    broken((r) => (r.model.embd = 30)),
    'model.embd: embd must be divisible by heads',
  ],
  [
    'the same point twice',
    broken((r) => r.points.push(r.points[0])),
    'points[2]: repeats the strategy, retention and batch of an earlier point',
  ],
  [
    'tensor bytes that are not shape × element size',
    broken((r) => (r.points[0].measured.ops[0].outputs[0].bytes = 65)),
    'points[0].measured.ops[0].outputs[0].bytes: bytes must equal the product of the shape times the element size',
  ],
  [
    'an unknown element type',
    broken((r) => (r.points[0].measured.ops[0].outputs[0].dtype = 'float7')),
    'points[0].measured.ops[0].outputs[0].dtype: Invalid option',
  ],
  [
    'a budget of 1.5 bytes',
    broken((r) => (r.maxBatch[0].budgetBytes = 1.5)),
    'maxBatch[0].budgetBytes: Invalid input: expected int',
  ],
];

describe('report validation with meaning', () => {
  it('accepts what Headroom writes', () => {
    const r = valid();
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });

  it.each(cases)('refuses %s, naming the field', (_, report, message) => {
    let error: Error | undefined;
    try {
      parseReport(report);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).toMatch(/^not a valid Headroom report \(schemaVersion 2\): /);
    expect(error?.message.split('\n')).toHaveLength(1);
  });

  it('refuses ~150,000 invalid records in one array with a validation error, not a stack overflow', () => {
    const r = broken(
      (x) => (x.points[0].measured.ops = Array.from({ length: 150_000 }, () => ({ node: 1 }))),
    );
    expect(() => parseReport(r)).toThrow(
      /^not a valid Headroom report \(schemaVersion 2\): points\[0\]\.measured\.ops\[0\]\.node: .*\(and \d+ more\)$/,
    );
  });
});
