/**
 * `headroom export-onnx`: builds the forward+backward training graph of one configuration and
 * writes it as an ONNX model, with the parameters as seeded initializers or as graph inputs.
 */
import type { Command } from 'commander';
import type { Graph } from '../engine/graph/graph';
import { numel, tensorBytes } from '../engine/graph/shape';
import type { BuildSpec } from '../engine/models/spec';
import { formatCount, UsageError, type CliIO } from './io';
import { checkOutputPath, writeFileAtomic } from './outputFile';
import { addModelOptions, buildSpecs, parseModelFlags, type ModelFlags } from './modelOptions';

/** A protobuf message, and so an ONNX file with its initializers inside, must stay under 2 GiB. */
export const ONNX_PROTOBUF_LIMIT = 2 ** 31;

export interface ExportOnnxFlags extends ModelFlags {
  out: string;
  paramsAsInputs?: boolean;
}

export interface ExportRequest {
  spec: BuildSpec;
  batch: number;
  paramsAsInputs: boolean;
}

export interface ExportResult {
  graph: Graph;
  bytes: Uint8Array;
  /** Number of parameter elements (not tensors). */
  paramCount: number;
}

/**
 * Builds and serializes; no I/O. Parameter values come from `initParams` (seed 1). The engine is
 * loaded here, not at startup, so help and flag errors do not wait for it.
 */
export async function exportOnnx({ spec, batch, paramsAsInputs }: ExportRequest): Promise<ExportResult> {
  const [{ buildTrainingGraph }, { initParams }, { toOnnxBytes }] = await Promise.all([
    import('../engine/models/build'),
    import('../engine/models/init'),
    import('../engine/onnx/serialize'),
  ]);
  let graph: Graph;
  try {
    graph = buildTrainingGraph(spec);
  } catch (e) {
    throw new Error(`cannot build the ${describeSpec(spec)} graph: ${(e as Error).message}`, { cause: e });
  }
  const paramBytes = graph.params.reduce(
    (n, p) => n + tensorBytes(graph.info(p).shape, graph.info(p).dtype, 1),
    0,
  );
  if (!paramsAsInputs && paramBytes >= ONNX_PROTOBUF_LIMIT)
    throw new UsageError(
      `the parameters take ${formatCount(paramBytes)} bytes, over ONNX's 2 GiB protobuf limit: ` +
        'use --params-as-inputs',
    );
  const bytes = toOnnxBytes(graph, {
    batch,
    paramsAsInputs,
    paramValues: paramsAsInputs ? undefined : initParams(graph),
  });
  const paramCount = graph.params.reduce((n, p) => n + numel(graph.info(p).shape, 1), 0);
  return { graph, bytes, paramCount };
}

/** e.g. "attention-only, view, minimal, f32". */
export function describeSpec(spec: BuildSpec): string {
  return [
    spec.model.attentionOnly ? 'attention-only' : 'GPT',
    spec.strategy,
    spec.retention,
    spec.dtype,
  ].join(', ');
}

/** Flags -> one request (export-onnx takes exactly one strategy, retention and batch). */
export function parseExportFlags(flags: ExportOnnxFlags): ExportRequest & { out: string } {
  if (flags.out.trim() === '-')
    throw new UsageError('--out - is not supported: the model is binary, give a file path');
  if (flags.out.trim() === '') throw new UsageError('--out must be a file path');
  checkOutputPath('--out', flags.out);
  const sel = parseModelFlags(flags, { lists: false });
  const [spec] = buildSpecs(sel);
  return { spec: spec!, batch: sel.batches[0]!, paramsAsInputs: !!flags.paramsAsInputs, out: flags.out };
}

export function registerExportOnnx(program: Command, io: CliIO): Command {
  const cmd = program
    .command('export-onnx')
    .description('write the forward+backward training graph of one configuration as an ONNX model')
    .requiredOption('--out <file>', 'where to write the .onnx file (required)');
  addModelOptions(cmd, { lists: false })
    .option('--params-as-inputs', 'make every parameter a graph input instead of a seeded initializer')
    .action(async (flags: ExportOnnxFlags) => {
      const { out, ...request } = parseExportFlags(flags);
      const { graph, bytes, paramCount } = await exportOnnx(request);
      writeFileAtomic(out, bytes);
      io.stdout(
        `wrote ${out}: ${formatCount(bytes.length)} bytes, ${formatCount(graph.nodes.length)} nodes, ` +
          `${formatCount(paramCount)} parameters (${request.paramsAsInputs ? 'graph inputs' : 'initializers'})\n`,
      );
    });
  return cmd;
}
