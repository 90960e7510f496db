/**
 * `headroom fit`: which setups (strategy × retention × dtype × micro-batch) train a model at an
 * effective batch within a GPU budget, fastest first, with their headroom and what binds the next
 * micro-batch; what each of the seed story's suspects costs; and the answer in sentences. A table
 * on stdout, or the answer as JSON with --json. Runs nothing: plans and a cost model
 * (src/engine/fit/), calibrated by a report's measured GPU times with --report.
 */
import type { Command } from 'commander';
import type { FitAnswer, FitRequest, FitSetup } from '../engine/fit/types';
import {
  ALLOCATORS,
  DEFAULT_ALLOCATOR,
  DEFAULT_CHUNK,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  DEFAULT_OPTIMIZER,
  LOSS_STRATEGIES,
  MAX_BATCH,
  OPTIMIZERS,
  TRAINING_DTYPES,
  type TrainingDType,
} from '../engine/vocabulary';
import { validateModelOptions } from '../engine/models/spec';
import { UsageError, type CliIO } from './io';
import {
  addModelShapeOptions,
  parseChoice,
  parseList,
  parseModel,
  parsePositiveInt,
  type ModelShapeFlags,
} from './modelOptions';
import { checkOutputPath, writeFileAtomic } from './outputFile';
import { addDeviceLimitOptions, parseDeviceLimits } from './plan';
import { readReportFile } from './report';
import { formatSize, parseSize } from './size';

export interface FitFlags extends ModelShapeFlags {
  chunk: string;
  loss: string;
  lossChunk: string;
  budget?: string;
  batch?: string;
  optimizer: string;
  dtypes: string;
  allocator: string;
  maxBufferSize?: string;
  maxBindingSize?: string;
  report?: string;
  flops?: string;
  bandwidth?: string;
  dispatchUs?: string;
  all?: boolean;
  json?: string;
}

export interface FitCommand {
  request: Omit<FitRequest, 'measured'>;
  /** The budget as the user wrote it, for the table's heading. */
  budgetText: string;
  report: string | null;
  all: boolean;
  json: string | null;
}

/** A positive number such as 5e12 or 0.5 (a rate or a time), or a UsageError naming the flag. */
function parsePositiveNumber(flag: string, text: string): number {
  const t = text.trim();
  const n = /^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(t) ? Number(t) : NaN;
  if (!(Number.isFinite(n) && n > 0))
    throw new UsageError(`--${flag} must be a positive number (e.g. 5e12), got ${JSON.stringify(text)}`);
  return n;
}

export function parseFitFlags(flags: FitFlags): FitCommand {
  const { model } = parseModel(flags);
  const chunk = parsePositiveInt('chunk', flags.chunk);
  const loss = parseChoice('loss', flags.loss, LOSS_STRATEGIES);
  const lossChunk = parsePositiveInt('loss-chunk', flags.lossChunk);
  if (flags.budget === undefined)
    throw new UsageError('--budget is required: the GPU memory to fit in, e.g. 6GiB');
  if (flags.batch === undefined)
    throw new UsageError('--batch is required: the effective batch to train at, e.g. 64');
  const effectiveBatch = parsePositiveInt('batch', flags.batch);
  if (effectiveBatch > MAX_BATCH)
    throw new UsageError(`--batch must be at most ${MAX_BATCH}, got ${effectiveBatch}`);
  const [error] = validateModelOptions({ model, chunk, loss, lossChunk });
  if (error) throw new UsageError(error.message);
  if (flags.json !== undefined && flags.json.trim() === '')
    throw new UsageError('--json needs a file path or -');
  if (flags.json !== undefined && flags.json !== '-') checkOutputPath('--json', flags.json);
  const device = {
    ...(flags.flops !== undefined && {
      f32FlopsPerSecond: parsePositiveNumber('flops', flags.flops),
      f16FlopsPerSecond: parsePositiveNumber('flops', flags.flops),
    }),
    ...(flags.bandwidth !== undefined && { bytesPerSecond: parseSize('bandwidth', flags.bandwidth) }),
    ...(flags.dispatchUs !== undefined && {
      dispatchSeconds: parsePositiveNumber('dispatch-us', flags.dispatchUs) / 1e6,
    }),
  };
  return {
    request: {
      model,
      chunk,
      loss,
      lossChunk,
      budgetBytes: parseSize('budget', flags.budget),
      effectiveBatch,
      optimizer: parseChoice('optimizer', flags.optimizer, OPTIMIZERS),
      dtypes: parseList<TrainingDType>('dtypes', flags.dtypes, (d) =>
        parseChoice('dtypes', d, TRAINING_DTYPES),
      ),
      allocator: parseChoice('allocator', flags.allocator, ALLOCATORS),
      limits: parseDeviceLimits(flags),
      device,
    },
    budgetText: flags.budget.trim(),
    report: flags.report ?? null,
    all: !!flags.all,
    json: flags.json ?? null,
  };
}

/** Plans and ranks (the engine loaded on demand); with a report, its measured GPU times calibrate. */
export async function runFit(cmd: FitCommand): Promise<FitAnswer> {
  const [{ adviseFit, measuredTimesOf }, report] = await Promise.all([
    import('../engine/fit/index'),
    cmd.report === null ? null : readReportFile(cmd.report),
  ]);
  const measured = report ? measuredTimesOf(report, cmd.request.model) : null;
  if (report && measured!.points.length === 0)
    throw new UsageError(
      `--report ${cmd.report}: no measured point has GPU times per node to calibrate with`,
    );
  return adviseFit({ ...cmd.request, measured });
}

const batchText = (s: FitSetup) =>
  s.microBatches === 1 ? `${s.microBatch}` : `${s.microBatches}×${s.microBatch}`;

function nextText(s: FitSetup): string {
  if (!s.next) return '-';
  if (s.next.binds === null) return `${s.next.microBatch} fits`;
  if (s.next.binds === 'budget') return `${s.next.microBatch}: budget`;
  return `${s.next.microBatch}: ${s.next.overLimit!.tensor} over ${s.next.overLimit!.limit}`;
}

function whyNot(s: FitSetup): string {
  const why = [];
  if (s.overBudget) why.push(`${formatSize(-s.headroomBytes)} over budget`);
  if (s.overLimit)
    why.push(`${s.overLimit.tensor} ${formatSize(s.overLimit.bytes)} over ${s.overLimit.limit}`);
  return why.join('; ');
}

/** A fixed-width table: the fitting setups fastest first; with `all`, the others after, with why. */
export function formatFitTable(a: FitAnswer, all: boolean): string {
  const head = [
    '#',
    'strategy/retention',
    'dtype',
    'batch',
    'peak',
    'headroom',
    'step',
    'time from',
    'next micro-batch',
  ];
  const rows = a.fitting.map((s, i) => [
    String(i + 1),
    `${s.strategy}/${s.retention}`,
    s.dtype,
    batchText(s),
    formatSize(s.peakBytes),
    formatSize(s.headroomBytes),
    `${s.time.ms.toFixed(1)} ms`,
    s.time.source,
    nextText(s),
  ]);
  const others = all
    ? a.notFitting.map((s) => [
        'x',
        `${s.strategy}/${s.retention}`,
        s.dtype,
        batchText(s),
        formatSize(s.peakBytes),
        '-',
        `${s.time.ms.toFixed(1)} ms`,
        s.time.source,
        `does not fit: ${whyNot(s)}`,
      ])
    : [];
  const body = [...rows, ...others];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const right = new Set([0, 3, 4, 5, 6]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

/** The whole text answer: heading, table, the suspects, the sentences. */
export function formatFitAnswer(a: FitAnswer, cmd: FitCommand): string {
  const hidden =
    cmd.all || a.notFitting.length === 0 ? '' : ` (${a.notFitting.length} more do not fit: --all lists them)`;
  const out = [
    `Setups that train at effective batch ${a.effectiveBatch} within ${cmd.budgetText} (${formatSize(a.budgetBytes)}), ` +
      `optimizer ${a.optimizer}, allocator ${a.allocator}: ${a.fitting.length} of ` +
      `${a.fitting.length + a.notFitting.length} fit${hidden}, fastest first.`,
    '',
    formatFitTable(a, cmd.all),
    'Suspects at batch ' + a.effectiveBatch + ' (the port: copy/tape, f32):',
    ...a.suspects.suspects.map(
      (x) => `  ${x.name.padEnd(17)} ${formatSize(x.bytes).padStart(9)}  ${x.compared}`,
    ),
    '',
    ...a.sentences,
    '',
    `Step times: ${timeNote(a)}`,
  ];
  return out.join('\n') + '\n';
}

function timeNote(a: FitAnswer): string {
  const d = a.device;
  const measured = [...a.fitting, ...a.notFitting].some((s) => s.time.measuredMs > 0);
  return (
    `${measured ? 'measured GPU times where the report has them, else ' : ''}a roofline per node at ` +
    `${(d.f32FlopsPerSecond / 1e12).toFixed(1)} TFLOP/s, ${(d.bytesPerSecond / 1e9).toFixed(0)} GB/s and ` +
    `${(d.dispatchSeconds * 1e6).toFixed(0)} µs per kernel dispatch${measured ? ', calibrated by the report' : ''} ` +
    '(README: "headroom fit").'
  );
}

export function registerFit(program: Command, io: CliIO): Command {
  const cmd = program
    .command('fit')
    .description(
      'which setups (strategy, retention, dtype, micro-batch) train at an effective batch within a budget, fastest first (runs nothing)',
    );
  addModelShapeOptions(cmd)
    .option('--chunk <n>', 'query chunk size of the chunked strategy', String(DEFAULT_CHUNK))
    .option(
      '--loss <name>',
      `the loss of every setup: ${LOSS_STRATEGIES.join('|')} (chunked: LM head and cross-entropy per chunk of positions)`,
      DEFAULT_LOSS_STRATEGY,
    )
    .option('--loss-chunk <n>', 'positions per chunk of the chunked loss', String(DEFAULT_LOSS_CHUNK))
    .option('--budget <size>', 'GPU memory budget, e.g. 6GiB or 6GB (required)')
    .option('--batch <n>', 'the effective batch; every micro-batch dividing it is tried (required)')
    .option('--optimizer <name>', `optimizer: ${OPTIMIZERS.join('|')}`, DEFAULT_OPTIMIZER)
    .option('--dtypes <names>', `dtypes to try, a comma list of ${TRAINING_DTYPES.join(', ')}`, 'f32,mixed')
    .option(
      '--allocator <mode>',
      "onnxruntime's buffer cache: lazy (exact sizes) or bucket (rounded)",
      DEFAULT_ALLOCATOR,
    );
  addDeviceLimitOptions(cmd)
    .option(
      '--report <file>',
      'a report with measured points: their GPU times per node calibrate the step times',
    )
    .option('--flops <n>', 'the device FLOP/s for the estimate (default 5e12)')
    .option('--bandwidth <size>', 'the device memory bandwidth per second for the estimate (default 200GB)')
    .option('--dispatch-us <n>', 'the fixed cost of one kernel dispatch in µs (default 10)')
    .option('--all', 'also list the setups that do not fit, with why')
    .option('--json <file>', 'write the answer as JSON to a file, or - for stdout')
    .action(async (flags: FitFlags) => {
      const fit = parseFitFlags(flags);
      const answer = await runFit(fit);
      const json = JSON.stringify(answer, null, 2) + '\n';
      if (fit.json === '-') {
        io.stdout(json);
        return;
      }
      io.stdout(formatFitAnswer(answer, fit));
      if (fit.json) {
        writeFileAtomic(fit.json, json);
        io.stderr(`wrote ${fit.json}\n`);
      }
    });
  return cmd;
}
