/**
 * The report: the one contract between engine, UI, CLI and users (docs/report-format.md).
 * Every exporter, importer and the CLI validate through this module.
 */
import { z } from 'zod';
import {
  CATEGORIES,
  ELEMENT_BYTES,
  ELEMENT_TYPES,
  ERROR_CODES,
  PHASES,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  type Category,
} from '../vocabulary';
import { listOf } from './validation';

/**
 * The version written: 2, the compact file format (schemaV2.ts, compact.ts). In memory a report is
 * always the expanded form (`Report`, report.ts) and says `schemaVersion: 2`; readers also accept
 * version 1 files (the expanded form itself), see io.ts.
 */
export const SCHEMA_VERSION = 2 as const;
/** Every version a reader accepts. */
export const READABLE_VERSIONS = [1, 2] as const;
export type SchemaVersion = (typeof READABLE_VERSIONS)[number];

export const strategySchema = z.enum(STRATEGY_NAMES);
export const retentionSchema = z.enum(RETENTION_NAMES);
export const phaseSchema = z.enum(PHASES);

const bytes = z.number().int().nonnegative();

/** A tensor: its bytes are exactly its element count times its element size. */
export const tensorRecordSchema = z
  .object({
    name: z.string(),
    shape: z.array(z.number().int().nonnegative()),
    dtype: z.enum(ELEMENT_TYPES),
    bytes,
  })
  .refine((t) => t.bytes === t.shape.reduce((n, d) => n * d, 1) * ELEMENT_BYTES[t.dtype], {
    message: 'bytes must equal the product of the shape times the element size',
    path: ['bytes'],
  });
export type TensorRecord = z.infer<typeof tensorRecordSchema>;

export const opRecordSchema = z.object({
  node: z.string(),
  opType: z.string(),
  phase: phaseSchema,
  scope: z.string(),
  allocBytes: bytes,
  freedBytes: bytes,
  liveBytesAfter: bytes,
  outputs: listOf(tensorRecordSchema),
  gpuMs: z.number().nonnegative().nullable(),
});
export type OpRecord = z.infer<typeof opRecordSchema>;

/** Live tensors sit in buffers the runtime holds: live bytes never exceed reserved ones. */
export const measuredSchema = z
  .object({
    peakLiveBytes: bytes,
    peakReservedBytes: bytes,
    unattributedBytes: bytes,
    /** Uniform, staging (upload/download) and query buffers created during the step: not tensors. */
    nonTensorBytes: bytes.optional(),
    /**
     * Milliseconds of one step: the median of the steps after the first where several ran
     * (`--repeat`), else the only one (which then includes compiling the session's shaders).
     */
    stepMs: z.number().nonnegative(),
    /** The point's first step, which compiles the new session's shaders and pipelines (added in 0.1: optional). */
    firstStepMs: z.number().nonnegative().optional(),
    loss: z.number(),
    ops: listOf(opRecordSchema),
  })
  .refine((m) => m.peakLiveBytes <= m.peakReservedBytes, {
    message: 'peakLiveBytes must not exceed peakReservedBytes',
    path: ['peakLiveBytes'],
  });
export type Measured = z.infer<typeof measuredSchema>;

/** The plan of a point (src/engine/plan): computed, not run. Breakdowns are of the bytes live at the peak. */
export const predictedSchema = z
  .object({
    peakBytes: bytes,
    /** The node during which the peak occurs ("input" for the graph inputs' upload). */
    peakNode: z.string(),
    floorBytes: bytes,
    // `optimizer state` came with the optimizer: files written before it read it as 0.
    byCategory: z.object({
      ...(Object.fromEntries(CATEGORIES.map((c) => [c, bytes])) as Record<Category, typeof bytes>),
      'optimizer state': bytes.default(0),
    }),
    byScope: z.object({ attention: bytes, other: bytes }),
    ops: listOf(opRecordSchema),
  })
  .refine((p) => Object.values(p.byCategory).reduce((a, b) => a + b, 0) === p.peakBytes, {
    message: 'byCategory must add up to peakBytes',
    path: ['byCategory'],
  })
  .refine((p) => p.byScope.attention + p.byScope.other === p.peakBytes, {
    message: 'byScope must add up to peakBytes',
    path: ['byScope'],
  });
export type Predicted = z.infer<typeof predictedSchema>;

export const pointErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type PointError = z.infer<typeof pointErrorSchema>;

/** A point is measured, or has an error saying why not: never both. */
export const pointSchema = z
  .object({
    strategy: strategySchema,
    retention: retentionSchema,
    batch: z.number().int().positive(),
    predicted: predictedSchema.nullable(),
    measured: measuredSchema.nullable(),
    error: pointErrorSchema.nullable(),
  })
  .refine((p) => !(p.measured && p.error), {
    message: 'a point cannot have both a measurement and an error',
    path: ['error'],
  });
export type Point = z.infer<typeof pointSchema>;
