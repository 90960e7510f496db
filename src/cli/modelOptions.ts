/**
 * The flags that pick what to build, shared by every command that builds a training graph
 * (export-onnx, plan, profile): a preset and its overrides, the attention strategy,
 * the retention policy, the chunk size, the dtype, the optimizer, the loss strategy and its chunk,
 * the batch and the micro-batch. Commands that sweep take comma lists for --strategy, --retention
 * and --batch; the others take exactly one value.
 */
import type { Command } from 'commander';
import {
  FIELD_LIMITS,
  PRESETS,
  validateSpec,
  type BuildSpec,
  type ModelConfig,
  type PresetName,
} from '../engine/models/spec';
import {
  ACTIVATIONS,
  DEFAULT_CHUNK,
  DEFAULT_DTYPE,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  DEFAULT_OPTIMIZER,
  DEFAULT_RETENTION,
  DEFAULT_STRATEGY,
  LOSS_STRATEGIES,
  MAX_BATCH,
  OPTIMIZERS,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  TRAINING_DTYPES,
  type Activation,
  type LossStrategy,
  type OptimizerName,
  type RetentionName,
  type StrategyName,
} from '../engine/vocabulary';
import { UsageError } from './io';

export type CliDType = (typeof TRAINING_DTYPES)[number];

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The flag values as commander hands them over: strings, unparsed (booleans for switches). */
export interface ModelFlags {
  preset: string;
  vocab?: string;
  seq?: string;
  embd?: string;
  heads?: string;
  layers?: string;
  mlpRatio?: string;
  activation?: string;
  attentionOnly?: boolean;
  strategy: string;
  retention: string;
  chunk: string;
  dtype: string;
  optimizer: string;
  loss: string;
  lossChunk: string;
  batch: string;
  microBatch?: string;
}

/** Parsed, validated flags: one model, and every strategy, retention and batch asked for. */
export interface ModelSelection {
  preset: PresetName;
  model: ModelConfig;
  strategies: StrategyName[];
  retentions: RetentionName[];
  chunk: number;
  dtype: CliDType;
  optimizer: OptimizerName;
  loss: LossStrategy;
  lossChunk: number;
  /**
   * The batches planned or run: the effective batches, or with --micro-batch the micro-batch
   * (each step then runs `microBatches` of them).
   */
  batches: number[];
  /** k: the effective batch (--batch) over the micro-batch (--micro-batch); 1 without it. */
  microBatches: number;
}

export interface ModelOptionsMode {
  /** Accept comma lists for --strategy, --retention and --batch. */
  lists: boolean;
}

export const DEFAULTS = {
  preset: 'tiny',
  strategy: DEFAULT_STRATEGY,
  retention: DEFAULT_RETENTION,
  chunk: String(DEFAULT_CHUNK),
  dtype: DEFAULT_DTYPE,
  optimizer: DEFAULT_OPTIMIZER,
  loss: DEFAULT_LOSS_STRATEGY,
  lossChunk: String(DEFAULT_LOSS_CHUNK),
  batch: '1',
} as const satisfies Partial<ModelFlags>;

/** Model config field -> the flag that overrides it. */
const OVERRIDES = [
  ['vocab', 'vocab'],
  ['seq', 'seq'],
  ['embd', 'embd'],
  ['heads', 'heads'],
  ['layers', 'layers'],
  ['mlpRatio', 'mlp-ratio'],
] as const satisfies readonly (readonly [keyof ModelFlags & keyof ModelConfig, string])[];

/** "1..65536" for a field's help text. */
const upTo = (field: keyof typeof FIELD_LIMITS) => `1..${FIELD_LIMITS[field].max}`;

/** The flags that pick the model: a preset and its overrides (every command that builds one). */
export type ModelShapeFlags = Pick<
  ModelFlags,
  'preset' | 'vocab' | 'seq' | 'embd' | 'heads' | 'layers' | 'mlpRatio' | 'activation' | 'attentionOnly'
>;

/** Adds the model flags to `cmd`: --preset and its overrides, with the presets listed in --help. */
export function addModelShapeOptions(cmd: Command): Command {
  const one = (names: readonly string[]) => names.join('|');
  return cmd
    .option('--preset <name>', `model preset: ${one(PRESET_NAMES)}`, DEFAULTS.preset)
    .option('--vocab <n>', `vocabulary size, ${upTo('vocab')} (overrides the preset)`)
    .option('--seq <n>', `sequence length T, ${upTo('seq')} (overrides the preset)`)
    .option('--embd <n>', `embedding size C, divisible by --heads, ${upTo('embd')} (overrides the preset)`)
    .option('--heads <n>', `number of attention heads, ${upTo('heads')} (overrides the preset)`)
    .option('--layers <n>', `number of transformer blocks, ${upTo('layers')} (overrides the preset)`)
    .option('--mlp-ratio <n>', `MLP hidden size / embedding size, ${upTo('mlpRatio')} (overrides the preset)`)
    .option('--activation <name>', `MLP activation: ${one(ACTIVATIONS)} (overrides the preset)`)
    .option('--attention-only', 'blocks of attention only: no embeddings, LayerNorm, MLP or LM head')
    .addHelpText('after', `\nPresets:\n${presetTable()}`);
}

/** Adds the shared flags to `cmd` (help texts say whether lists are accepted). */
export function addModelOptions(cmd: Command, { lists }: ModelOptionsMode): Command {
  const one = (names: readonly string[]) => names.join('|');
  const many = (names: readonly string[]) => (lists ? `${one(names)}, or a comma list` : one(names));
  addModelShapeOptions(cmd)
    .option(
      lists ? '--strategy <names>' : '--strategy <name>',
      `attention strategy: ${many(STRATEGY_NAMES)}`,
      DEFAULTS.strategy,
    )
    .option(
      lists ? '--retention <names>' : '--retention <name>',
      `what backward keeps alive: ${many(RETENTION_NAMES)}`,
      DEFAULTS.retention,
    )
    .option('--chunk <n>', `query chunk size of the chunked strategy, ${upTo('chunk')}`, DEFAULTS.chunk)
    .option(
      '--dtype <name>',
      `float dtype: ${one(TRAINING_DTYPES)} (mixed: f32 master parameters and optimizer state, f16 compute)`,
      DEFAULTS.dtype,
    )
    .option(
      '--optimizer <name>',
      `the step's optimizer, its update and state in the graph: ${one(OPTIMIZERS)}`,
      DEFAULTS.optimizer,
    )
    .option(
      '--loss <name>',
      `loss: ${one(LOSS_STRATEGIES)} (chunked: LM head and cross-entropy per chunk of positions)`,
      DEFAULTS.loss,
    )
    .option(
      '--loss-chunk <n>',
      `positions per chunk of the chunked loss, ${upTo('lossChunk')}`,
      DEFAULTS.lossChunk,
    )
    .option(
      lists ? '--batch <ns>' : '--batch <n>',
      `batch size, 1..${MAX_BATCH}${lists ? ', or a comma list of them' : ''} (the effective batch with --micro-batch)`,
      DEFAULTS.batch,
    )
    .option(
      '--micro-batch <n>',
      'gradient accumulation: run the (one) --batch as micro-batches of n, which must divide it',
    );
  return cmd;
}

/** One line per preset with its fields, for --help. */
export function presetTable(): string {
  return PRESET_NAMES.map((name) => {
    const p = PRESETS[name];
    const fields = `vocab ${p.vocab}, seq ${p.seq}, embd ${p.embd}, heads ${p.heads}, layers ${p.layers}`;
    return `  ${name.padEnd(12)}${fields}, mlp-ratio ${p.mlpRatio}, ${p.activation}`;
  }).join('\n');
}

/** A whole number >= 1 written in decimal digits, or a UsageError naming the flag. */
export function parsePositiveInt(flag: string, text: string): number {
  const t = text.trim();
  const n = /^[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** --batch: a positive integer up to MAX_BATCH. */
function parseBatch(text: string): number {
  const n = parsePositiveInt('batch', text);
  if (n > MAX_BATCH)
    throw new UsageError(`--batch must be at most ${MAX_BATCH} (the largest batch Headroom plans), got ${n}`);
  return n;
}

const flagName = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** One of `choices`, or a UsageError listing them. */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  const t = text.trim();
  if (!(choices as readonly string[]).includes(t))
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
  return t as T;
}

/**
 * A comma list ("copy,view", "1,2,4"), each item parsed by `item`. Empty items and repeats are
 * errors; without `lists`, more than one item is.
 */
export function parseList<T>(
  flag: string,
  text: string,
  item: (text: string) => T,
  { lists }: ModelOptionsMode = { lists: true },
): T[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!lists && parts.length > 1)
    throw new UsageError(`--${flag} takes one value here, got ${JSON.stringify(text)}`);
  if (parts.some((s) => s === ''))
    throw new UsageError(`--${flag} has an empty item in ${JSON.stringify(text)}`);
  const values = parts.map(item);
  const seen = new Set<T>();
  for (const [i, v] of values.entries()) {
    if (seen.has(v)) throw new UsageError(`--${flag} lists ${JSON.stringify(parts[i])} twice`);
    seen.add(v);
  }
  return values;
}

/** The model the flags pick: the preset with its overrides (unvalidated as a whole: see validateSpec). */
export function parseModel(flags: ModelShapeFlags): { preset: PresetName; model: ModelConfig } {
  const preset = parseChoice('preset', flags.preset, PRESET_NAMES);
  const model: ModelConfig = { ...PRESETS[preset] };
  for (const [field, flag] of OVERRIDES) {
    const text = flags[field];
    if (text !== undefined) model[field] = parsePositiveInt(flag, text);
  }
  if (flags.activation !== undefined)
    model.activation = parseChoice<Activation>('activation', flags.activation, ACTIVATIONS);
  if (flags.attentionOnly) {
    // An attention-only model has no embeddings, LM head or MLP: these flags would do nothing.
    const unused = (['vocab', 'activation', 'mlpRatio'] as const).filter((f) => flags[f] !== undefined);
    if (unused.length)
      throw new UsageError(
        `${unused.map(flagName).join(', ')} ${unused.length === 1 ? 'has' : 'have'} no effect with --attention-only ` +
          '(no embeddings, MLP or LM head)',
      );
    model.attentionOnly = true;
  }
  return { preset, model };
}

/** Parses and validates the shared flags; the first problem is thrown as a UsageError. */
export function parseModelFlags(flags: ModelFlags, mode: ModelOptionsMode): ModelSelection {
  const { preset, model } = parseModel(flags);

  const selection: ModelSelection = {
    preset,
    model,
    strategies: parseList(
      'strategy',
      flags.strategy,
      (s) => parseChoice('strategy', s, STRATEGY_NAMES),
      mode,
    ),
    retentions: parseList(
      'retention',
      flags.retention,
      (s) => parseChoice('retention', s, RETENTION_NAMES),
      mode,
    ),
    chunk: parsePositiveInt('chunk', flags.chunk),
    dtype: parseChoice('dtype', flags.dtype, TRAINING_DTYPES),
    optimizer: parseChoice('optimizer', flags.optimizer, OPTIMIZERS),
    loss: parseChoice('loss', flags.loss, LOSS_STRATEGIES),
    lossChunk: parsePositiveInt('loss-chunk', flags.lossChunk),
    ...parseBatches(flags, mode),
  };
  for (const spec of buildSpecs(selection)) {
    const [error] = validateSpec(spec);
    if (error) throw new UsageError(error.message);
  }
  return selection;
}

/** --batch and --micro-batch: the batches planned and the micro-batches per step. */
function parseBatches(
  flags: ModelFlags,
  mode: ModelOptionsMode,
): { batches: number[]; microBatches: number } {
  const batches = parseList('batch', flags.batch, (s) => parseBatch(s), mode);
  if (flags.microBatch === undefined) return { batches, microBatches: 1 };
  const micro = parsePositiveInt('micro-batch', flags.microBatch);
  if (batches.length !== 1)
    throw new UsageError(
      `--micro-batch takes one --batch (the effective batch), got ${batches.length}: ${JSON.stringify(flags.batch)}`,
    );
  const effective = batches[0]!;
  if (effective % micro !== 0)
    throw new UsageError(`--micro-batch ${micro} does not divide --batch ${effective} (the effective batch)`);
  return { batches: [micro], microBatches: effective / micro };
}

/** One BuildSpec per (strategy, retention), strategies outermost, in the order given. */
export function buildSpecs(sel: ModelSelection): BuildSpec[] {
  return sel.strategies.flatMap((strategy) =>
    sel.retentions.map((retention) => ({
      model: { ...sel.model },
      strategy,
      retention,
      chunk: sel.chunk,
      dtype: sel.dtype,
      optimizer: sel.optimizer,
      microBatches: sel.microBatches,
      loss: sel.loss,
      lossChunk: sel.lossChunk,
    })),
  );
}
