/**
 * `headroom report IN`: converts a report (JSON, gzipped or not: sniffed from its bytes) to another
 * format: the report itself (json), CSV, a Markdown summary, a Chrome trace or a PyTorch memory
 * snapshot of one point, or the ONNX training graph of one point rebuilt from the report's model.
 * An `--out` ending in `.gz` is gzipped, whatever the format.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { BuildSpec } from '../engine/models/spec';
import type { Report } from '../engine/report/report';
import type { Point } from '../engine/report/schema';
import { EXPORT_FORMATS, POINT_FORMATS, type ExportFormat } from '../engine/report/export/formats';
import { formatCount, UsageError, type CliIO } from './io';
import { parseChoice } from './modelOptions';
import { checkOutputPath, writeFileAtomic } from './outputFile';
import { formatSize, parseSize } from './size';

export interface ReportFlags {
  format: string;
  out: string;
  point?: string;
  ops?: string;
  budget?: string;
  paramsAsInputs?: boolean;
}

const OPS_FLAG = ['planned', 'measured'] as const;
/** Formats whose bytes are text, which may go to stdout with `--out -`. */
const TEXT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'md', 'trace'];

export interface ReportRequest {
  input: string;
  format: ExportFormat;
  out: string;
  gzip: boolean;
  point: string | null;
  ops: 'predicted' | 'measured' | null;
  budgetBytes: number | null;
  paramsAsInputs: boolean;
}

/** Flags -> a request; every flag problem is a UsageError, found before the input is read. */
export function parseReportFlags(input: string, flags: ReportFlags): ReportRequest {
  const format = parseChoice('format', flags.format, EXPORT_FORMATS);
  const only = (flag: string, formats: readonly ExportFormat[]) => {
    if (!formats.includes(format))
      throw new UsageError(`${flag} applies to --format ${formats.join(', ')}, not ${format}`);
  };
  if (flags.point !== undefined) only('--point', ['csv', 'md', 'trace', 'snapshot', 'onnx']);
  if (flags.ops !== undefined) only('--ops', ['csv', 'trace']);
  if (flags.budget !== undefined) only('--budget', ['md']);
  if (flags.paramsAsInputs) only('--params-as-inputs', ['onnx']);
  if (flags.ops !== undefined && format === 'csv' && flags.point === undefined)
    throw new UsageError('--ops chooses the op records of a point: give --point too');
  const out = flags.out.trim();
  if (out === '') throw new UsageError('--out must be a file path');
  if (out === '-' && !TEXT_FORMATS.includes(format))
    throw new UsageError(`--out - is not supported for ${format}: the output is binary, give a file path`);
  if (out !== '-') checkOutputPath('--out', flags.out);
  if (input.trim() === '') throw new UsageError('the report to read must be a file path');
  const ops = flags.ops === undefined ? null : parseChoice('ops', flags.ops, OPS_FLAG);
  return {
    input,
    format,
    out: flags.out,
    gzip: out !== '-' && /\.gz$/i.test(out),
    point: flags.point ?? null,
    ops: ops === null ? null : ops === 'planned' ? 'predicted' : 'measured',
    budgetBytes: flags.budget === undefined ? null : parseSize('budget', flags.budget),
    paramsAsInputs: !!flags.paramsAsInputs,
  };
}

/** One line: messages from a file's contents could hold line breaks. */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Reads and validates the report at `path` (JSON or gzipped JSON); a refused file is a UsageError. */
export async function readReportFile(path: string): Promise<Report> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${code ?? (e as Error).message}`,
    );
  }
  const { decodeReport, MAX_REPORT_FILE_BYTES } = await import('../engine/report/io');
  if (size > MAX_REPORT_FILE_BYTES)
    throw new UsageError(
      `${path} is ${formatSize(size)}, over the ${formatSize(MAX_REPORT_FILE_BYTES)} a report file may have`,
    );
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return await decodeReport(bytes);
  } catch (e) {
    throw new UsageError(`${path}: ${oneLine((e as Error).message)}`);
  }
}

/**
 * The build spec of a point of `r`: the report's model, dtype, chunk, optimizer and micro-batches with the point's strategy and
 * The build spec of a point of `r`: the report's model, dtype, chunk and loss with the point's strategy and
 * retention. An attention-only model has no vocabulary, MLP ratio or activation (the report records
 * null); the builder ignores them for it, so any valid value stands in.
 */
export function specOfPoint(r: Report, point: Point): BuildSpec {
  const m = r.model;
  return {
    model: {
      vocab: m.vocab ?? 1,
      seq: m.seq,
      embd: m.embd,
      heads: m.heads,
      layers: m.layers,
      mlpRatio: m.mlpRatio ?? 1,
      activation: m.activation ?? 'relu',
      attentionOnly: m.attentionOnly,
    },
    strategy: point.strategy,
    retention: point.retention,
    chunk: r.chunk,
    dtype: r.dtype,
    optimizer: r.optimizer,
    microBatches: r.microBatches,
    loss: r.loss,
    lossChunk: r.lossChunk,
  };
}

/** Runs a request: reads, picks the point, exports, writes. Returns what it wrote, for the summary. */
export async function runReport(req: ReportRequest, io: CliIO): Promise<Uint8Array> {
  const r = await readReportFile(req.input);
  const ex = await import('../engine/report/export/index');
  let point: Point | undefined;
  if (req.point !== null) {
    try {
      point = ex.pointOf(r, req.point);
    } catch (e) {
      if (e instanceof ex.PointRefError) throw new UsageError(`--point: ${e.message}`);
      throw e;
    }
  } else if (POINT_FORMATS.includes(req.format)) {
    const chosen = ex.defaultPoint(r);
    if (!chosen)
      throw new UsageError(
        r.points.length === 0
          ? `--format ${req.format} describes one point, and ${req.input} has no points`
          : `--format ${req.format} describes one point, and no point of ${req.input} was planned or measured`,
      );
    point = chosen.point;
    io.stderr(
      `report: no --point given: using ${ex.pointRef(point)}, the point with the largest ` +
        `${chosen.by === 'measured' ? 'measured' : 'planned (none is measured)'} peak (${formatSize(chosen.peakBytes)})\n`,
    );
  }
  // The op records a csv or trace of this point reads must exist: say so as a usage problem.
  if (point && (req.format === 'trace' || (req.format === 'csv' && req.point !== null))) {
    const side = req.ops ?? (point.measured ? 'measured' : 'predicted');
    if (!point[side]) {
      const why = point.error ? ` (${point.error.code}: ${oneLine(point.error.message)})` : '';
      throw new UsageError(
        `point ${ex.pointRef(point)} has no ${side === 'measured' ? 'measurement' : 'plan'}${why}`,
      );
    }
  }
  if (req.format === 'onnx') {
    const spec = specOfPoint(r, point!);
    const [{ validateSpec }, { exportOnnx }, { gzipBytes }] = await Promise.all([
      import('../engine/models/spec'),
      import('./exportOnnx'),
      import('../engine/report/io'),
    ]);
    const [problem] = validateSpec(spec);
    if (problem) throw new UsageError(`cannot rebuild ${ex.pointRef(point!)}: ${problem.message}`);
    const { bytes } = await exportOnnx({ spec, batch: point!.batch, paramsAsInputs: req.paramsAsInputs });
    return req.gzip ? gzipBytes(bytes) : bytes;
  }
  return ex.exportReportAs(r, req.format, {
    point,
    ops: req.ops ?? undefined,
    budgetBytes: req.budgetBytes ?? undefined,
    gzip: req.gzip,
  });
}

export function registerReport(program: Command, io: CliIO): Command {
  return program
    .command('report')
    .description('convert a report (.json or .json.gz) to json, csv, md, trace, snapshot or onnx')
    .argument('<in>', 'the report to read: JSON or gzipped JSON (told apart by their bytes)')
    .requiredOption('--format <name>', `output format: ${EXPORT_FORMATS.join('|')}`)
    .requiredOption(
      '--out <file>',
      'where to write (a name ending in .gz is gzipped; - for stdout: json, csv, md, trace)',
    )
    .option(
      '--point <ref>',
      'strategy/retention@batch, e.g. view/minimal@8: the point of csv (its ops), md (its costliest ops), trace, snapshot, onnx (default: the largest measured peak, else planned)',
    )
    .option(
      '--ops <side>',
      'planned|measured: the op records of csv --point and trace (default: measured when the point has them)',
    )
    .option('--budget <size>', "md: the budget of the max-batch section, e.g. 6GiB (default: the report's)")
    .option('--params-as-inputs', 'onnx: every parameter a graph input instead of a seeded initializer')
    .action(async (input: string, flags: ReportFlags) => {
      const req = parseReportFlags(input, flags);
      const bytes = await runReport(req, io);
      if (req.out.trim() === '-') {
        io.stdout(new TextDecoder().decode(bytes));
        return;
      }
      writeFileAtomic(req.out, bytes);
      io.stderr(
        `wrote ${req.out}: ${formatCount(bytes.length)} bytes (${req.format}${req.gzip ? ', gzip' : ''})\n`,
      );
    });
}
