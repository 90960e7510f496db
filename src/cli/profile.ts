/**
 * `headroom profile`: a measured sweep in Node. Every (strategy, retention, batch) asked for runs
 * one training step on WebGPU (Dawn: the GPU's Vulkan driver, or SwiftShader on the CPU) with
 * every buffer traced, after the planner has predicted it (a point planned over the device's
 * buffer limits or over --budget is skipped, with the reason); progress goes to stderr, one line
 * per point, and the report (validated by the report module) to --out, also when points fail or
 * the sweep is cancelled with Ctrl-C.
 */
import type { Command } from 'commander';
import type { SweepPoint, SweepProgress } from '../engine/profile/sweep';
import type { MaxBatch, Report } from '../engine/report/report';
import { outcomeOf } from '../engine/report/points';
import { f16Refusal } from '../engine/profile/f16Support';
import type { Point } from '../engine/report/schema';
import {
  ALLOCATORS,
  CACHE_MODE,
  DEFAULT_ALLOCATOR,
  type Allocator,
  type CacheMode,
} from '../engine/vocabulary';
import { CommandExit, EXIT, UsageError, type CliIO } from './io';
import {
  addModelOptions,
  buildSpecs,
  parseChoice,
  parseModelFlags,
  parsePositiveInt,
  type ModelFlags,
  type ModelSelection,
} from './modelOptions';
import { ADAPTER_CHOICES, RELAUNCHED_ENV, type AdapterChoice } from './nodeGpu';
import { INTERRUPT_EXIT, watchInterruptions } from './interruptions';
import { checkOutputPath, writeFileAtomic } from './outputFile';
import { reportFileBytes, reportText } from './reportFile';
import { formatSize, parseSize } from './size';

export interface ProfileFlags extends ModelFlags {
  out: string;
  allocator: string;
  budget?: string;
  repeat: string;
  failOverBudget?: string;
  adapter: string;
}

export interface ProfileRequest {
  selection: ModelSelection;
  points: SweepPoint[];
  /** A file path, or '-' for stdout. */
  out: string;
  allocator: Allocator;
  cacheMode: CacheMode;
  budgetBytes?: number;
  repeat: number;
  failOverBytes?: number;
  adapter: AdapterChoice;
}

/** Strategies outermost, then retentions, then batches, in the order given. */
export function sweepPoints(sel: ModelSelection): SweepPoint[] {
  return buildSpecs(sel).flatMap((spec) => sel.batches.map((batch) => ({ spec, batch })));
}

export function parseProfileFlags(flags: ProfileFlags): ProfileRequest {
  const out = flags.out.trim();
  if (out === '') throw new UsageError('--out must be a file path, or - for stdout');
  if (out !== '-') checkOutputPath('--out', out);
  const selection = parseModelFlags(flags, { lists: true });
  const allocator = parseChoice('allocator', flags.allocator, ALLOCATORS);
  return {
    selection,
    points: sweepPoints(selection),
    out,
    allocator,
    cacheMode: CACHE_MODE[allocator],
    ...(flags.budget !== undefined ? { budgetBytes: parseSize('budget', flags.budget) } : {}),
    repeat: parsePositiveInt('repeat', flags.repeat),
    ...(flags.failOverBudget !== undefined
      ? { failOverBytes: parseSize('fail-over-budget', flags.failOverBudget) }
      : {}),
    adapter: parseChoice('adapter', flags.adapter, ADAPTER_CHOICES),
  };
}

/** "23 ms", "1.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The first line of a message, shortened in the middle when long: onnxruntime's messages start
 * with a source path and a C++ signature and end with the reason, so both ends are kept.
 */
const firstLine = (s: string, max = 300) => {
  const line = s.split('\n')[0]!;
  return line.length > max ? `${line.slice(0, 80)} … ${line.slice(-(max - 83))}` : line;
};

/** "view/minimal @ batch 8", or with k micro-batches "view/minimal @ batch 16 (2×8)". */
const label = ({ spec, batch }: SweepPoint) => {
  const k = spec.microBatches;
  return `${spec.strategy}/${spec.retention} @ batch ${k > 1 ? `${k * batch} (${k}×${batch})` : batch}`;
};

/** The progress line for a point that ended (null for `start`). */
export function progressLine(p: SweepProgress): string | null {
  if (p.status === 'start' || !p.result) return null;
  const head = `[${p.index + 1}/${p.total}] ${label(p.point)}`;
  const { measured, error } = p.result;
  if (measured) {
    const unattributed = measured.unattributedBytes
      ? `, ${formatSize(measured.unattributedBytes)} unattributed`
      : '';
    const planned = p.result.predicted ? ` (planned ${formatSize(p.result.predicted.peakBytes)})` : '';
    return (
      `${head}: peak live ${formatSize(measured.peakLiveBytes)}${planned}, reserved ` +
      `${formatSize(measured.peakReservedBytes)}, ${formatMs(measured.stepMs)}${unattributed}`
    );
  }
  const why = error ? `${error.code}: ${firstLine(error.message)}` : 'no result';
  return p.status === 'failed' ? `${head}: FAILED: ${why}` : `${head}: skipped: ${why}`;
}

/** Measured points whose peak live bytes exceed `bytes`. */
export function overBudget(points: readonly Point[], bytes: number): Point[] {
  return points.filter((p) => p.measured && p.measured.peakLiveBytes > bytes);
}

async function makeReport(
  req: ProfileRequest,
  device: Report['device'],
  points: Point[],
  maxBatch: MaxBatch[],
): Promise<Report> {
  const { createReport, reportModel } = await import('../engine/report/report');
  const { preset, model, dtype, chunk, optimizer, microBatches, loss, lossChunk } = req.selection;
  return createReport({
    device,
    model: reportModel(preset, model),
    dtype,
    allocator: req.allocator,
    chunk,
    optimizer,
    microBatches,
    loss,
    lossChunk,
    points,
    maxBatch,
  });
}

async function writeReport(out: string, report: Report, io: CliIO): Promise<void> {
  if (out === '-') return io.stdout(await reportText(report));
  writeFileAtomic(out, await reportFileBytes(report, out));
}

/** Counts of points by how they ended, e.g. "16 measured, 0 skipped, 0 failed". */
function tally(points: readonly Point[]): string {
  const measured = points.filter((p) => p.measured).length;
  const cancelled = points.filter((p) => p.error?.code === 'cancelled').length;
  const failed = points.filter((p) => outcomeOf(p) === 'failed').length;
  const skipped = points.length - measured - failed - cancelled;
  return [
    `${measured} measured`,
    `${skipped} skipped`,
    `${failed} failed`,
    ...(cancelled ? [`${cancelled} cancelled`] : []),
  ].join(', ');
}

/** Runs the sweep; returns the exit code (the report is written whatever happens to the points). */
export async function runProfile(req: ProfileRequest, io: CliIO): Promise<number> {
  const { openNodeGpu } = await import('./nodeGpu');
  const opened = await openNodeGpu(req.adapter, { canRelaunch: !!io.relaunch });
  if ('relaunch' in opened) {
    const env = Object.entries(opened.relaunch).map(([k, v]) => `${k}=${v}`);
    io.stderr(`no GPU adapter found: running again on SwiftShader with ${env.join(' ')}\n`);
    return io.relaunch!({ ...opened.relaunch, [RELAUNCHED_ENV]: '1' });
  }
  const gpu = opened.gpu;
  try {
    const { dtype } = req.selection;
    const noF16 = f16Refusal(dtype, gpu.summary.features, gpu.summary.adapter);
    if (noF16) throw new Error(`--${noF16}`);
    const { runSweep } = await import('../engine/profile/sweep');
    const n = req.points.length;
    io.stderr(
      `profile: ${n} point${n === 1 ? '' : 's'} on ${gpu.device.adapter || 'an unnamed adapter'}` +
        `${gpu.kind === 'swiftshader' ? ' (SwiftShader: on the CPU)' : ''}; the first point can take ` +
        "~30-60 s while V8 compiles onnxruntime's wasm, on a GPU too\n",
    );
    const { sweepPlanner } = await import('../engine/profile/planner');
    const planner = sweepPlanner(req.allocator);

    // A step cannot be interrupted (ORT's run blocks the event loop while shaders compile, so even
    // these handlers wait for it): an interruption cancels the points after the one running now.
    const interruptions = watchInterruptions({
      onInterrupt: (_, detail) =>
        io.stderr(
          `cancelling (${detail}): the sweep stops after the point running now and writes what finished\n`,
        ),
    });
    const t0 = performance.now();
    let points: Point[];
    try {
      points = await runSweep(req.points, gpu.runtime, {
        cacheMode: req.cacheMode,
        repeat: req.repeat,
        limits: gpu.device.limits,
        plan: planner.check,
        ...(req.budgetBytes !== undefined ? { budgetBytes: req.budgetBytes } : {}),
        signal: interruptions.signal,
        onProgress: (p) => {
          const line = progressLine(p);
          if (line) io.stderr(`${line}\n`);
        },
      });
    } finally {
      interruptions.dispose();
    }

    const maxBatch =
      req.budgetBytes === undefined ? [] : planner.maxBatch(req.points, req.budgetBytes, gpu.device.limits);
    await writeReport(req.out, await makeReport(req, gpu.device, points, maxBatch), io);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    io.stderr(`wrote ${req.out === '-' ? 'the report to stdout' : req.out}: ${tally(points)} (${secs} s)\n`);

    const over = req.failOverBytes === undefined ? [] : overBudget(points, req.failOverBytes);
    for (const p of over)
      io.stderr(
        `over --fail-over-budget ${formatSize(req.failOverBytes!)}: ${p.strategy}/${p.retention} @ batch ` +
          `${p.batch}: peak live ${formatSize(p.measured!.peakLiveBytes)} (${p.measured!.peakLiveBytes} B)\n`,
      );
    if (interruptions.received) return INTERRUPT_EXIT[interruptions.received];
    if (!points.some((p) => p.measured)) {
      io.stderr('error: no point could be measured\n');
      return EXIT.failure;
    }
    return over.length ? EXIT.overBudget : EXIT.ok;
  } finally {
    gpu.close();
  }
}

export function registerProfile(program: Command, io: CliIO): Command {
  const cmd = program
    .command('profile')
    .description('measure training steps on WebGPU in Node (a sweep over strategies, retentions, batches)')
    .requiredOption(
      '--out <file>',
      'where to write the report JSON (required; gzipped if it ends in .gz; - for stdout)',
    );
  addModelOptions(cmd, { lists: true })
    .option(
      '--allocator <name>',
      `ORT's buffer cache: ${ALLOCATORS.join('|')} (lazy: one buffer per tensor)`,
      DEFAULT_ALLOCATOR,
    )
    .option(
      '--budget <size>',
      'memory budget, e.g. 6GiB, 512MiB, 1.5GB: skips points planned over it, adds the max batch',
    )
    .option(
      '--repeat <n>',
      'steps per point: the first compiles the shaders (firstStepMs), the step time is the median of the others',
      '1',
    )
    .option('--fail-over-budget <size>', 'exit 3 when a measured peak live size exceeds this')
    .option(
      '--adapter <name>',
      `WebGPU adapter: ${ADAPTER_CHOICES.join('|')} (auto: a GPU, else SwiftShader)`,
      'auto',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 the sweep ran (failed points are in the report), 1 nothing could be measured,\n' +
        '2 bad flags, 3 a peak over --fail-over-budget, 130/143/129 interrupted by SIGINT (Ctrl-C)/SIGTERM/SIGHUP ' +
        '(the sweep stops after the point in flight; the report holds what finished).',
    )
    .action(async (flags: ProfileFlags) => {
      const code = await runProfile(parseProfileFlags(flags), io);
      if (code !== EXIT.ok) throw new CommandExit(code);
    });
  return cmd;
}
