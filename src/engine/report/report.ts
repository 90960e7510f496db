/**
 * The whole report document (docs/report-format.md) as it is held in memory: validated when made
 * and when read (io.ts reads and writes files, compact.ts the version 2 file form). Exporters, importers, the UI and the CLI all go through this module.
 */
import { z } from 'zod';
import {
  ACTIVATIONS,
  ALLOCATORS,
  DEFAULT_MICRO_BATCHES,
  DEFAULT_OPTIMIZER,
  MAX_BATCH_LIMITS,
  type LossStrategy,
  MAX_MICRO_BATCHES,
  OPTIMIZERS,
  TRAINING_DTYPES,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  LOSS_STRATEGIES,
} from '../vocabulary';
import { listOf, parseWith } from './validation';
import { pointSchema, retentionSchema, SCHEMA_VERSION, strategySchema, type Point } from './schema';

export const deviceSchema = z.object({
  adapter: z.string(),
  vendor: z.string(),
  architecture: z.string(),
  limits: z.object({
    maxBufferSize: z.number().int().positive(),
    maxStorageBufferBindingSize: z.number().int().positive(),
  }),
});
export type DeviceInfo = z.infer<typeof deviceSchema>;

export const modelSchema = z
  .object({
    preset: z.string().nullable(),
    /** null for attention-only models, which have no embeddings, MLP or LM head. */
    vocab: z.number().int().positive().nullable(),
    seq: z.number().int().positive(),
    embd: z.number().int().positive(),
    heads: z.number().int().positive(),
    layers: z.number().int().positive(),
    mlpRatio: z.number().int().positive().nullable(),
    activation: z.enum(ACTIVATIONS).nullable(),
    attentionOnly: z.boolean(),
  })
  .refine((m) => m.embd % m.heads === 0, {
    message: 'embd must be divisible by heads',
    path: ['embd'],
  })
  .superRefine((m, ctx) => {
    for (const field of ['vocab', 'mlpRatio', 'activation'] as const) {
      const absent = m[field] === null;
      if (absent === m.attentionOnly) continue;
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: m.attentionOnly
          ? `${field} must be null for an attention-only model (it has no ${field === 'vocab' ? 'embeddings' : 'MLP'})`
          : `${field} is required for a whole GPT`,
      });
    }
  });
export type ReportModel = z.infer<typeof modelSchema>;

/** A model as built (models/spec.ts's ModelConfig): every field of the report's, none null. */
export type BuiltModel = { [K in Exclude<keyof ReportModel, 'preset'>]: NonNullable<ReportModel[K]> };

/**
 * A model as a report records it: what was built, and nothing it does not have (an attention-only
 * model records no vocabulary, MLP ratio or activation).
 */
export function reportModel(preset: string | null, m: BuiltModel): ReportModel {
  const unused = m.attentionOnly;
  return {
    preset,
    vocab: unused ? null : m.vocab,
    seq: m.seq,
    embd: m.embd,
    heads: m.heads,
    layers: m.layers,
    mlpRatio: unused ? null : m.mlpRatio,
    activation: unused ? null : m.activation,
    attentionOnly: m.attentionOnly,
  };
}

export const maxBatchSchema = z.object({
  strategy: strategySchema,
  retention: retentionSchema,
  budgetBytes: z.number().int().positive(),
  batch: z.number().int().nonnegative(),
  limitedBy: z.enum(MAX_BATCH_LIMITS),
});
export type MaxBatch = z.infer<typeof maxBatchSchema>;

/** The index of the first entry whose key repeats an earlier one's, or -1. */
function firstRepeat<T>(items: readonly T[], key: (t: T) => string): number {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]!);
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return -1;
}

/** What every version of the document holds before its points: one declaration for v1, v2 and the file form. */
export const reportHeaderShape = {
  tool: z.object({ name: z.literal('headroom'), version: z.string() }),
  /** ISO 8601 date and time, UTC. */
  createdAt: z.iso.datetime(),
  device: deviceSchema.nullable(),
  model: modelSchema,
  /** `mixed` since the optimizer and micro-batches came (files before hold `f32` or `f16`). */
  dtype: z.enum(TRAINING_DTYPES),
  allocator: z.enum(ALLOCATORS),
  /** Query chunk of the chunked strategy. */
  chunk: z.number().int().positive(),
  /** The optimizer of the step; files written before it existed read as `none`. */
  optimizer: z.enum(OPTIMIZERS).default(DEFAULT_OPTIMIZER),
  /**
   * Micro-batches per step (gradient accumulation): a point's `batch` is one micro-batch, the
   * effective batch `microBatches × batch`. Files written before it existed read as 1.
   */
  microBatches: z.number().int().min(1).max(MAX_MICRO_BATCHES).default(DEFAULT_MICRO_BATCHES),
  /** Loss strategy (added after version 2 first shipped: files without it read as `standard`). */
  loss: z.enum(LOSS_STRATEGIES).default(DEFAULT_LOSS_STRATEGY),
  /** Sequence positions per chunk of the `chunked` loss (absent in older files: the default). */
  lossChunk: z.number().int().positive().default(DEFAULT_LOSS_CHUNK),
};

/**
 * The expanded document: every point with its full op lists. In memory it is the report every
 * consumer reads (`schemaVersion: 2`); as a file it is version 1 (`schemaVersion: 1`).
 */
function expandedReportSchema<V extends 1 | 2>(version: V) {
  return z
    .object({
      schemaVersion: z.literal(version),
      ...reportHeaderShape,
      points: listOf(pointSchema),
      maxBatch: listOf(maxBatchSchema),
    })
    .superRefine((r, ctx) => {
      const p = firstRepeat(r.points, (x) => `${x.strategy}/${x.retention}@${x.batch}`);
      if (p >= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['points', p],
          message: 'repeats the strategy, retention and batch of an earlier point',
        });
      const m = firstRepeat(r.maxBatch, (x) => `${x.strategy}/${x.retention}`);
      if (m >= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['maxBatch', m],
          message: 'repeats the strategy and retention of an earlier entry',
        });
    });
}

/** A report in memory: the expanded form, `schemaVersion: 2` (SCHEMA_VERSION). */
export const reportSchema = expandedReportSchema(SCHEMA_VERSION);
/** A version 1 file: the expanded form with `schemaVersion: 1`. */
export const reportFileV1Schema = expandedReportSchema(1);
export type ReportFileV1 = z.infer<typeof reportFileV1Schema>;
export type Report = z.infer<typeof reportSchema>;

export const TOOL_VERSION = '0.1.0';

export interface ReportInput {
  device: DeviceInfo | null;
  model: ReportModel;
  dtype: Report['dtype'];
  allocator: Report['allocator'];
  chunk: number;
  /** Default `none`. */
  optimizer?: Report['optimizer'];
  /** Default 1. */
  microBatches?: number;
  loss?: LossStrategy;
  lossChunk?: number;
  points: Point[];
  maxBatch?: MaxBatch[];
  createdAt?: Date;
}

/** A validated report; throws with every problem listed if the input breaks the schema. */
export function createReport(input: ReportInput): Report {
  return parseReport({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'headroom', version: TOOL_VERSION },
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    device: input.device,
    model: input.model,
    dtype: input.dtype,
    allocator: input.allocator,
    chunk: input.chunk,
    optimizer: input.optimizer ?? DEFAULT_OPTIMIZER,
    microBatches: input.microBatches ?? DEFAULT_MICRO_BATCHES,
    loss: input.loss ?? DEFAULT_LOSS_STRATEGY,
    lossChunk: input.lossChunk ?? DEFAULT_LOSS_CHUNK,
    points: input.points,
    maxBatch: input.maxBatch ?? [],
  });
}

/**
 * Validates a report in memory (the expanded form, schemaVersion 2); the error names each bad
 * field. Files go through io.ts's decodeReport, which reads version 1 and 2.
 */
export function parseReport(data: unknown): Report {
  return parseWith(reportSchema, data, `not a valid Headroom report (schemaVersion ${SCHEMA_VERSION})`);
}

/** Validates a version 1 file's document, and returns it as a report in memory. */
export function parseReportV1(data: unknown): Report {
  const r = parseWith(reportFileV1Schema, data, 'not a valid Headroom report (schemaVersion 1)');
  return { ...r, schemaVersion: SCHEMA_VERSION };
}
