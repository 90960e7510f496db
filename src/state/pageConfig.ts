/**
 * What the page's controls pick: a model (a preset or custom values), the batch of interest, the
 * strategy × retention combinations to compare, the options every plan shares, a memory budget and
 * the batches to measure. Plus its validation, one message per control in the control's own words,
 * and the PlanConfig the planner workers get. Framework-free: unit-tested in Node.
 */
import type { Combo, PlanConfig } from '../engine/explore/types';
import {
  FIELD_LIMITS,
  PRESETS,
  validateSpec,
  type ModelConfig,
  type PresetName,
} from '../engine/models/spec';
import {
  ACTIVATIONS,
  ALLOCATORS,
  DEFAULT_ALLOCATOR,
  DEFAULT_CHUNK,
  DEFAULT_MICRO_BATCHES,
  DEFAULT_OPTIMIZER,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  DEFAULT_DTYPE,
  LOSS_STRATEGIES,
  MAX_BATCH,
  MAX_MICRO_BATCHES,
  OPTIMIZERS,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  TRAINING_DTYPES,
  type Allocator,
  type LossStrategy,
  type OptimizerName,
  type TrainingDType,
} from '../engine/vocabulary';

/** How the step holds its floats: f32, f16, or mixed (f32 master copies, f16 compute). */
export type DType = TrainingDType;

/** The model's numeric fields, each with a slider and a number box. */
export const MODEL_FIELDS = ['seq', 'embd', 'heads', 'layers', 'mlpRatio', 'vocab'] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];

/** Every control that can carry an error message. */
export type ControlId =
  | 'preset'
  | 'batch'
  | ModelField
  | 'activation'
  | 'kind'
  | 'combos'
  | 'chunk'
  | 'dtype'
  | 'optimizer'
  | 'microBatches'
  | 'loss'
  | 'lossChunk'
  | 'allocator'
  | 'budget'
  | 'measureBatches';

export type ControlErrors = Partial<Record<ControlId, string>>;

/** The controls' visible labels: messages name controls the way the page does. */
export const CONTROL_LABELS: Record<ControlId, string> = {
  preset: 'Model',
  batch: 'Batch size',
  seq: 'Sequence length',
  embd: 'Embedding size',
  heads: 'Heads',
  layers: 'Layers',
  mlpRatio: 'MLP ratio',
  vocab: 'Vocabulary',
  activation: 'Activation',
  kind: 'Model kind',
  combos: 'Strategy × retention',
  chunk: 'Query chunk',
  dtype: 'Data type',
  optimizer: 'Optimizer',
  microBatches: 'Micro-batches',
  loss: 'Loss',
  lossChunk: 'Loss chunk',
  allocator: 'Allocator',
  budget: 'Memory budget',
  measureBatches: 'Batches to measure',
};

/** Slider ranges (the number boxes accept every value from 1 to the field's maximum). */
export const SLIDER_RANGES: Record<
  ModelField | 'batch' | 'chunk' | 'microBatches' | 'lossChunk',
  { min: number; max: number }
> = {
  batch: { min: 1, max: 512 },
  seq: { min: 1, max: 4096 },
  embd: { min: 8, max: 4096 },
  heads: { min: 1, max: 64 },
  layers: { min: 1, max: 48 },
  mlpRatio: { min: 1, max: 8 },
  vocab: { min: 1, max: 65536 },
  chunk: { min: 1, max: 1024 },
  microBatches: { min: 1, max: 64 },
  lossChunk: { min: 1, max: 1024 },
};

/** Head counts the heads slider offers: those that divide the embedding size (within its range). */
export function headChoices(embd: number): number[] {
  const { min, max } = SLIDER_RANGES.heads;
  if (!Number.isInteger(embd) || embd < 1) return [];
  const out: number[] = [];
  for (let h = min; h <= Math.min(max, embd); h++) if (embd % h === 0) out.push(h);
  return out;
}

/**
 * The values next to `value` on a field's slider (one step down and up, within its range): what a
 * person moving that slider asks for next. Heads step over headChoices, the embedding size by the
 * heads, every other field by 1.
 */
export function sliderNeighbours(field: ModelField, model: ModelConfig): number[] {
  const value = model[field];
  if (field === 'heads') {
    const choices = headChoices(model.embd);
    const at = choices.indexOf(value);
    return at < 0 ? [] : [choices[at - 1], choices[at + 1]].filter((v): v is number => v !== undefined);
  }
  const step = field === 'embd' && model.heads >= 1 ? model.heads : 1;
  const { min, max } = SLIDER_RANGES[field];
  return [value - step, value + step].filter((v) => v >= min && v <= max);
}

/** The largest value each numeric control accepts. */
type NumericControl = ModelField | 'batch' | 'chunk' | 'microBatches' | 'lossChunk';
export const FIELD_MAX: Record<NumericControl, number> = {
  ...Object.fromEntries(MODEL_FIELDS.map((f) => [f, FIELD_LIMITS[f].max])),
  batch: MAX_BATCH,
  chunk: FIELD_LIMITS.chunk.max,
  microBatches: MAX_MICRO_BATCHES,
  lossChunk: FIELD_LIMITS.lossChunk.max,
} as Record<NumericControl, number>;

/** Memory budgets offered, in decimal GB (what GPUs are sold as), plus a custom value. */
export const BUDGET_GB = [4, 6, 8, 12, 16, 24, 40, 48, 80, 141] as const;
export type BudgetId = `${(typeof BUDGET_GB)[number]}GB` | 'custom';
export const GB = 1e9;
const GIB = 2 ** 30;

export interface BudgetPreset {
  id: BudgetId;
  bytes: number;
  /** e.g. "6 GB (5.59 GiB)". */
  label: string;
}

/** "6 GB (5.59 GiB)": decimal GB as sold, and the GiB tools report. */
export function budgetLabel(bytes: number): string {
  const gb = Number((bytes / GB).toPrecision(4));
  return `${gb} GB (${(bytes / GIB).toFixed(2)} GiB)`;
}

export const BUDGET_PRESETS: readonly BudgetPreset[] = BUDGET_GB.map((gb) => ({
  id: `${gb}GB` as BudgetId,
  bytes: gb * GB,
  label: budgetLabel(gb * GB),
}));

export const BUDGET_IDS: readonly BudgetId[] = [...BUDGET_PRESETS.map((b) => b.id), 'custom'];

export interface PageConfig {
  preset: PresetName | 'custom';
  model: ModelConfig;
  /** The batch of interest (the batch slider). */
  batch: number;
  /** In canonical order: STRATEGY_NAMES × RETENTION_NAMES. */
  combos: Combo[];
  chunk: number;
  dtype: DType;
  optimizer: OptimizerName;
  /**
   * k: the step at `batch` is one of k micro-batches, gradients accumulated; the effective batch is
   * k × batch (the chart's x axis is then the micro-batch).
   */
  microBatches: number;
  loss: LossStrategy;
  /** Sequence positions per chunk of the `chunked` loss. */
  lossChunk: number;
  allocator: Allocator;
  budget: { id: BudgetId; bytes: number };
  measureBatches: number[];
}

/** Every combination, strategy-major, in the order the page lists them. */
export const ALL_COMBOS: readonly Combo[] = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);

/** A step of the page: a combination at a batch. */
export interface PointRef {
  combo: Combo;
  batch: number;
}

/** What the chart plots: peak live bytes, or what the allocator reserves. */
export type Metric = 'live' | 'reserved';
export type Theme = 'light' | 'dark';

export const sameCombo = (a: Combo, b: Combo): boolean =>
  a.strategy === b.strategy && a.retention === b.retention;

export const samePointRef = (a: PointRef, b: PointRef): boolean =>
  a.batch === b.batch && sameCombo(a.combo, b.combo);

/** Deduplicated and sorted into ALL_COMBOS' order. */
export function canonicalCombos(combos: readonly Combo[]): Combo[] {
  return ALL_COMBOS.filter((c) => combos.some((d) => sameCombo(c, d)));
}

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export const DEFAULT_CONFIG: PageConfig = {
  preset: 'seed',
  model: { ...PRESETS.seed },
  batch: 64,
  combos: [
    { strategy: 'copy', retention: 'tape' },
    { strategy: 'view', retention: 'minimal' },
    { strategy: 'fused', retention: 'minimal' },
  ],
  chunk: DEFAULT_CHUNK,
  dtype: DEFAULT_DTYPE,
  optimizer: DEFAULT_OPTIMIZER,
  microBatches: DEFAULT_MICRO_BATCHES,
  loss: DEFAULT_LOSS_STRATEGY,
  lossChunk: DEFAULT_LOSS_CHUNK,
  allocator: DEFAULT_ALLOCATOR,
  budget: { id: '6GB', bytes: 6 * GB },
  // Small: measuring on a CPU adapter (SwiftShader) takes long.
  measureBatches: [1, 2],
};

function sameModel(a: ModelConfig, b: ModelConfig): boolean {
  return (Object.keys(a) as (keyof ModelConfig)[]).every((k) => a[k] === b[k]);
}

/** The preset whose every field equals `model`'s, else 'custom'. */
export function presetOf(model: ModelConfig): PresetName | 'custom' {
  return PRESET_NAMES.find((p) => sameModel(PRESETS[p], model)) ?? 'custom';
}

/** Selecting a preset sets every model field. */
export function withPreset(c: PageConfig, preset: PresetName): PageConfig {
  return { ...c, preset, model: { ...PRESETS[preset] } };
}

/** Editing a model field: the preset becomes 'custom' unless the values equal a preset's. */
export function withModel(c: PageConfig, patch: Partial<ModelConfig>): PageConfig {
  const model = { ...c.model, ...patch };
  return { ...c, model, preset: presetOf(model) };
}

/** The budget preset of exactly `bytes`, else a custom budget. */
export function budgetOf(bytes: number): PageConfig['budget'] {
  return { id: BUDGET_PRESETS.find((b) => b.bytes === bytes)?.id ?? 'custom', bytes };
}

/** "1, 2, 4" → [1, 2, 4]; a piece that is not a number becomes NaN (the validation names it). */
export function parseBatchList(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
}

/** "1, 2, 4". */
export const formatBatchList = (batches: readonly number[]): string => batches.join(', ');

/** "Sequence length needs a value" / "... must be a whole number between 1 and 65536", or null. */
function checkWhole(id: ControlId, value: number, max: number): string | null {
  const label = CONTROL_LABELS[id];
  if (Number.isNaN(value)) return `${label} needs a value`;
  if (!Number.isInteger(value) || value < 1 || value > max)
    return `${label} must be a whole number between 1 and ${max}`;
  return null;
}

/** The control a validateSpec field belongs to. */
const SPEC_FIELD_CONTROL: Record<string, ControlId> = {
  ...Object.fromEntries(MODEL_FIELDS.map((f) => [f, f])),
  activation: 'activation',
  chunk: 'chunk',
  dtype: 'dtype',
  optimizer: 'optimizer',
  microBatches: 'microBatches',
  loss: 'loss',
  lossChunk: 'lossChunk',
};

/** validateSpec's message in the control's words: "embedding size 384 is ..." → "Embedding size 384 is ...". */
function specMessage(field: string, message: string): string {
  const id = SPEC_FIELD_CONTROL[field];
  const label = id ? CONTROL_LABELS[id] : field;
  if (message.startsWith(`${field} `)) return `${label}${message.slice(field.length)}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** One message per control that is wrong; an empty object when the configuration can be planned. */
export function validatePageConfig(c: PageConfig): ControlErrors {
  const errors: ControlErrors = {};
  const set = (id: ControlId, message: string | null) => {
    if (message && !errors[id]) errors[id] = message;
  };
  set('batch', checkWhole('batch', c.batch, MAX_BATCH));
  for (const f of MODEL_FIELDS) set(f, checkWhole(f, c.model[f], FIELD_LIMITS[f].max));
  set('chunk', checkWhole('chunk', c.chunk, FIELD_LIMITS.chunk.max));
  set('microBatches', checkWhole('microBatches', c.microBatches, MAX_MICRO_BATCHES));
  set('lossChunk', checkWhole('lossChunk', c.lossChunk, FIELD_LIMITS.lossChunk.max));
  if (!(ACTIVATIONS as readonly string[]).includes(c.model.activation))
    set('activation', `Activation must be one of ${ACTIVATIONS.join(', ')}`);
  if (!(TRAINING_DTYPES as readonly string[]).includes(c.dtype))
    set('dtype', `Data type must be one of ${TRAINING_DTYPES.join(', ')}`);
  if (!(OPTIMIZERS as readonly string[]).includes(c.optimizer))
    set('optimizer', `Optimizer must be one of ${OPTIMIZERS.join(', ')}`);
  if (!(LOSS_STRATEGIES as readonly string[]).includes(c.loss))
    set('loss', `Loss must be one of ${LOSS_STRATEGIES.join(', ')}`);
  if (!(ALLOCATORS as readonly string[]).includes(c.allocator))
    set('allocator', `Allocator must be one of ${ALLOCATORS.join(', ')}`);
  if (c.combos.length === 0) set('combos', 'Pick at least one strategy × retention');
  // The rest of the spec's rules (heads dividing the embedding size, ...) as validateSpec words them,
  // for the fields not already refused above.
  const spec = {
    model: c.model,
    strategy: 'view',
    retention: 'minimal',
    chunk: c.chunk,
    dtype: c.dtype,
    optimizer: c.optimizer,
    microBatches: c.microBatches,
    loss: c.loss,
    lossChunk: c.lossChunk,
  } as const;
  for (const e of validateSpec(spec)) {
    const id = SPEC_FIELD_CONTROL[e.field];
    if (id && !errors[id]) set(id, specMessage(e.field, e.message));
  }
  const { bytes } = c.budget;
  if (Number.isNaN(bytes)) set('budget', 'Memory budget needs a value');
  else if (!Number.isFinite(bytes) || bytes <= 0 || bytes > 1e6 * GB)
    set('budget', 'Memory budget must be a number of GB above 0 and at most 1000000');
  if (c.measureBatches.length === 0) set('measureBatches', 'Batches to measure needs a value');
  else if (c.measureBatches.some((b) => !Number.isInteger(b) || b < 1 || b > MAX_BATCH))
    set(
      'measureBatches',
      `Batches to measure must be whole numbers between 1 and ${MAX_BATCH}, separated by commas`,
    );
  return errors;
}

export const hasErrors = (errors: ControlErrors): boolean => Object.keys(errors).length > 0;

/** The same messages for the same controls. */
export function sameErrors(a: ControlErrors, b: ControlErrors): boolean {
  const keys = Object.keys(a) as ControlId[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** What every plan of this configuration depends on besides the combination and the batch. */
export function planConfigOf(c: PageConfig): PlanConfig {
  return {
    model: { ...c.model },
    chunk: c.chunk,
    dtype: c.dtype,
    allocator: c.allocator,
    optimizer: c.optimizer,
    microBatches: c.microBatches,
    loss: c.loss,
    lossChunk: c.lossChunk,
  };
}
