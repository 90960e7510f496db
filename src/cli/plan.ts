/**
 * `headroom plan`: the exact memory plan of every strategy x retention x batch, without running
 * anything: peak live bytes per batch, and with --budget the largest batch that fits and what
 * binds. A table on stdout, or a report (measured: null) with --json.
 */
import type { Command } from 'commander';
import type { MaxBatch, Report } from '../engine/report/report';
import { UsageError, type CliIO } from './io';
import {
  addModelOptions,
  buildSpecs,
  parseChoice,
  parseModelFlags,
  type ModelFlags,
  type ModelSelection,
} from './modelOptions';
import { checkOutputPath, writeFileAtomic } from './outputFile';
import { reportFileBytes, reportText } from './reportFile';
import { formatSize, parseSize } from './size';
import {
  ALLOCATORS,
  bufferLimit,
  DEFAULT_ALLOCATOR,
  WEBGPU_DEFAULT_LIMITS,
  type Allocator,
  type DeviceLimits,
} from '../engine/vocabulary';

export interface PlanFlags extends ModelFlags {
  allocator: string;
  budget?: string;
  json?: string;
  maxBufferSize?: string;
  maxBindingSize?: string;
}

export interface PlanRequest {
  sel: ModelSelection;
  allocator: Allocator;
  budgetBytes: number | null;
  limits: DeviceLimits;
  json: string | null;
}

export function parsePlanFlags(flags: PlanFlags): PlanRequest {
  const sel = parseModelFlags(flags, { lists: true });
  const allocator = parseChoice('allocator', flags.allocator, ALLOCATORS);
  if (flags.json !== undefined && flags.json.trim() === '')
    throw new UsageError('--json needs a file path or -');
  if (flags.json !== undefined && flags.json !== '-') checkOutputPath('--json', flags.json);
  return {
    sel,
    allocator,
    budgetBytes: flags.budget === undefined ? null : parseSize('budget', flags.budget),
    limits: parseDeviceLimits(flags),
    json: flags.json ?? null,
  };
}

/** --max-buffer-size and --max-binding-size, WebGPU's guaranteed defaults where not given. */
export function parseDeviceLimits(flags: { maxBufferSize?: string; maxBindingSize?: string }): DeviceLimits {
  return {
    maxBufferSize:
      flags.maxBufferSize !== undefined
        ? parseSize('max-buffer-size', flags.maxBufferSize)
        : WEBGPU_DEFAULT_LIMITS.maxBufferSize,
    maxStorageBufferBindingSize:
      flags.maxBindingSize !== undefined
        ? parseSize('max-binding-size', flags.maxBindingSize)
        : WEBGPU_DEFAULT_LIMITS.maxStorageBufferBindingSize,
  };
}

/** Adds --max-buffer-size and --max-binding-size to `cmd`. */
export function addDeviceLimitOptions(cmd: Command): Command {
  return cmd
    .option('--max-buffer-size <size>', "the device's maxBufferSize (default: WebGPU's 256MiB)")
    .option(
      '--max-binding-size <size>',
      "the device's maxStorageBufferBindingSize (default: WebGPU's 128MiB)",
    );
}

export interface PlanRow {
  strategy: string;
  retention: string;
  /** Peak live bytes per requested batch. */
  peaks: number[];
  /** Per batch: the largest single buffer exceeds a device limit. */
  overLimit: boolean[];
  maxBatch: MaxBatch | null;
}

/**
 * Plans every combination: a table row each, and (with `report`) the report, every point with
 * its per-op plan and `measured: null`.
 */
export async function runPlan(
  req: PlanRequest,
  opts: { report: boolean } = { report: true },
): Promise<{ rows: PlanRow[]; report: Report | null }> {
  const [{ planSpec, predicted, maxBatchEntry }, { createReport, reportModel }] = await Promise.all([
    import('../engine/plan/toReport'),
    import('../engine/report/report'),
  ]);
  const { sel, allocator, budgetBytes, limits } = req;
  const cap = bufferLimit(limits).bytes;
  const rows: PlanRow[] = [];
  const points: Report['points'] = [];
  const maxBatches: MaxBatch[] = [];
  for (const spec of buildSpecs(sel)) {
    const { plan } = planSpec(spec, allocator);
    const { strategy, retention } = spec;
    const mb = budgetBytes === null ? null : maxBatchEntry(plan, strategy, retention, budgetBytes, limits);
    if (mb) maxBatches.push(mb);
    rows.push({
      strategy,
      retention,
      peaks: sel.batches.map((b) => plan.peakBytes(b)),
      overLimit: sel.batches.map((b) => plan.largestBufferBytes(b) > cap),
      maxBatch: mb,
    });
    if (!opts.report) continue;
    for (const batch of sel.batches) {
      points.push({
        strategy,
        retention,
        batch,
        predicted: predicted(plan, batch),
        measured: null,
        error: null,
      });
    }
  }
  if (!opts.report) return { rows, report: null };
  const report = createReport({
    device: null,
    model: reportModel(sel.preset, sel.model),
    dtype: sel.dtype,
    allocator,
    chunk: sel.chunk,
    optimizer: sel.optimizer,
    microBatches: sel.microBatches,
    loss: sel.loss,
    lossChunk: sel.lossChunk,
    points,
    maxBatch: maxBatches,
  });
  return { rows, report };
}

/**
 * A fixed-width table: one row per strategy x retention, one column per batch, then max batch.
 * With k > 1 micro-batches a batch reads `B=64 (8×8)`: effective batch (k × micro-batch), and the
 * max batch is k × the largest micro-batch.
 */
export function formatPlanTable(
  rows: readonly PlanRow[],
  batches: readonly number[],
  budgetBytes: number | null,
  microBatches = 1,
): string {
  const k = microBatches;
  const batchLabel = (b: number) => (k > 1 ? `${k * b} (${k}×${b})` : String(b));
  const head = [
    'strategy',
    'retention',
    ...batches.map((b) => `B=${batchLabel(b)}`),
    ...(budgetBytes === null ? [] : [`max batch (${formatSize(budgetBytes)})`]),
  ];
  const body = rows.map((r) => [
    r.strategy,
    r.retention,
    ...r.peaks.map((p, i) => `${formatSize(p)}${r.overLimit[i] ? ' !' : ''}`),
    ...(r.maxBatch
      ? [`${batchLabel(r.maxBatch.batch)} (${r.maxBatch.limitedBy === 'budget' ? 'budget' : 'buffer limit'})`]
      : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (rows.some((r) => r.overLimit.some(Boolean)))
    out.push('! a single tensor exceeds the device buffer limit at this batch');
  return out.join('\n') + '\n';
}

export function registerPlan(program: Command, io: CliIO): Command {
  const cmd = program
    .command('plan')
    .description(
      'the exact memory plan per strategy, retention and batch, and the max batch for a budget (runs nothing)',
    );
  addModelOptions(cmd, { lists: true })
    .option(
      '--allocator <mode>',
      "onnxruntime's buffer cache: lazy (exact sizes) or bucket (rounded)",
      DEFAULT_ALLOCATOR,
    )
    .option('--budget <size>', 'GPU memory budget, e.g. 6GiB: adds the max batch that fits');
  addDeviceLimitOptions(cmd)
    .option(
      '--json <file>',
      'write the report (docs/report-format.md, measured: null) to a file (gzipped if it ends in .gz), or - for stdout',
    )
    .action(async (flags: PlanFlags) => {
      const req = parsePlanFlags(flags);
      // Every op of every point is only computed when a report is asked for: the table needs peaks.
      const { rows, report } = await runPlan(req, { report: req.json !== null });
      if (req.json === '-') {
        io.stdout(report ? await reportText(report) : '');
        return;
      }
      io.stdout(formatPlanTable(rows, req.sel.batches, req.budgetBytes, req.sel.microBatches));
      if (req.json && report) {
        writeFileAtomic(req.json, await reportFileBytes(report, req.json));
        io.stderr(`wrote ${req.json}\n`);
      }
    });
  return cmd;
}
