/**
 * The report: the one contract between engine, UI, CLI and users (docs/report-format.md).
 * Every exporter, importer and the CLI validate through this module.
 */
import { z } from 'zod';
import {
  CATEGORIES,
  ERROR_CODES,
  PHASES,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  type Category,
} from '../vocabulary';

export const SCHEMA_VERSION = 1 as const;

export const strategySchema = z.enum(STRATEGY_NAMES);
export const retentionSchema = z.enum(RETENTION_NAMES);
export const phaseSchema = z.enum(PHASES);

export const tensorRecordSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type TensorRecord = z.infer<typeof tensorRecordSchema>;

export const opRecordSchema = z.object({
  node: z.string(),
  opType: z.string(),
  phase: phaseSchema,
  scope: z.string(),
  allocBytes: z.number().int().nonnegative(),
  freedBytes: z.number().int().nonnegative(),
  liveBytesAfter: z.number().int().nonnegative(),
  outputs: z.array(tensorRecordSchema),
  gpuMs: z.number().nonnegative().nullable(),
});
export type OpRecord = z.infer<typeof opRecordSchema>;

export const measuredSchema = z.object({
  peakLiveBytes: z.number().int().nonnegative(),
  peakReservedBytes: z.number().int().nonnegative(),
  unattributedBytes: z.number().int().nonnegative(),
  /** Uniform, staging (upload/download) and query buffers created during the step: not tensors. */
  nonTensorBytes: z.number().int().nonnegative().optional(),
  stepMs: z.number().nonnegative(),
  loss: z.number(),
  ops: z.array(opRecordSchema),
});
export type Measured = z.infer<typeof measuredSchema>;

const bytes = z.number().int().nonnegative();

/** The plan of a point (src/engine/plan): computed, not run. Breakdowns are of the bytes live at the peak. */
export const predictedSchema = z.object({
  peakBytes: bytes,
  /** The node during which the peak occurs ("input" for the graph inputs' upload). */
  peakNode: z.string(),
  floorBytes: bytes,
  byCategory: z.object(
    Object.fromEntries(CATEGORIES.map((c) => [c, bytes])) as Record<Category, typeof bytes>,
  ),
  byScope: z.object({ attention: bytes, other: bytes }),
  ops: z.array(opRecordSchema),
});
export type Predicted = z.infer<typeof predictedSchema>;

export const pointErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type PointError = z.infer<typeof pointErrorSchema>;

export const pointSchema = z.object({
  strategy: strategySchema,
  retention: retentionSchema,
  batch: z.number().int().positive(),
  predicted: predictedSchema.nullable(),
  measured: measuredSchema.nullable(),
  error: pointErrorSchema.nullable(),
});
export type Point = z.infer<typeof pointSchema>;
