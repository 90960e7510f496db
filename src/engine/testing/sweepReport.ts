/**
 * Whole reports for the report file tests: a preset's sweep planned by the real planner, with a
 * measurement faked deterministically from each point's plan (same node list and bytes, GPU times
 * in whole microseconds as onnxruntime's profile gives them).
 */
import { PRESETS, type ModelConfig } from '../models/spec';
import { planSpec, predicted } from '../plan/toReport';
import { createReport, reportModel, TOOL_VERSION, type Report, type ReportInput } from '../report/report';
import { SCHEMA_VERSION, type Measured, type OpRecord, type Point, type Predicted } from '../report/schema';
import {
  DEFAULT_LOSS_CHUNK,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  type RetentionName,
  type StrategyName,
} from '../vocabulary';

/** A small deterministic hash of a string (FNV-1a), for fake but stable numbers. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A measured op's GPU time: a few microseconds plus one per 256 KiB written (an H200-like
 * bandwidth), jittered by the node's name; `null` for the pseudo-node and nodes that allocate
 * nothing (alias ops dispatch no kernel).
 */
export function fakeGpuMs(op: OpRecord, batch: number): number | null {
  if (op.node === 'input' || op.allocBytes === 0) return null;
  const us = 2 + Math.floor(op.allocBytes / 262144) + (hash(`${op.node}@${batch}`) % 13);
  return us / 1000;
}

/** A measurement faked from a plan: the plan's ops, GPU times, peaks that agree with them. */
export function fakeMeasured(p: Predicted, batch: number): Measured {
  const ops = p.ops.map((op) => ({
    ...op,
    outputs: op.outputs.map((o) => ({ ...o, shape: [...o.shape] })),
    gpuMs: fakeGpuMs(op, batch),
  }));
  const gpuUs = ops.reduce((n, op) => n + Math.round((op.gpuMs ?? 0) * 1000), 0);
  return {
    peakLiveBytes: p.peakBytes,
    peakReservedBytes: p.peakBytes + 4096 * batch + (hash(`reserved@${batch}`) % 64) * 16,
    unattributedBytes: 0,
    nonTensorBytes: 27040 + 16 * batch,
    stepMs: gpuUs / 1000 + 1.5,
    loss: 4.174387454986572 - batch / 1024,
    ops,
  };
}

export interface SweepOptions {
  model?: ModelConfig;
  preset?: string;
  strategies?: readonly StrategyName[];
  retentions?: readonly RetentionName[];
  batches: readonly number[];
  /** Fake a measurement of every point (default: planned only, `measured: null`). */
  measured?: boolean;
  /**
   * Validate the whole report (default true). The seed's full sweep has 1.1 million op records;
   * a test that validates it when reading it back can skip doing it twice.
   */
  validate?: boolean;
}

/** The sweep's report: each strategy × retention planned once, evaluated at every batch. */
export function sweepReport(o: SweepOptions): Report {
  const model = o.model ?? PRESETS.seed;
  const points: Point[] = [];
  for (const strategy of o.strategies ?? STRATEGY_NAMES)
    for (const retention of o.retentions ?? RETENTION_NAMES) {
      const { plan } = planSpec(
        { model, strategy, retention, chunk: 64, dtype: 'f32', optimizer: 'none', microBatches: 1 },
        'lazy',
      );
      for (const batch of o.batches) {
        const pred = predicted(plan, batch);
        points.push({
          strategy,
          retention,
          batch,
          predicted: pred,
          measured: o.measured ? fakeMeasured(pred, batch) : null,
          error: null,
        });
      }
    }
  const input: ReportInput & { createdAt: Date } = {
    device: o.measured
      ? {
          adapter: 'nvidia hopper NVIDIA H200',
          vendor: 'nvidia',
          architecture: 'hopper',
          limits: { maxBufferSize: 4294967296, maxStorageBufferBindingSize: 4294967292 },
        }
      : null,
    model: reportModel(o.preset ?? 'seed', model),
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
    allocator: 'lazy',
    chunk: 64,
    points,
    createdAt: new Date('2026-12-02T00:58:39.018Z'),
  };
  if (o.validate ?? true) return createReport(input);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'headroom', version: TOOL_VERSION },
    createdAt: input.createdAt.toISOString(),
    device: input.device,
    model: input.model,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
    allocator: 'lazy',
    chunk: 64,
    loss: 'standard',
    lossChunk: DEFAULT_LOSS_CHUNK,
    points,
    maxBatch: [],
  };
}
