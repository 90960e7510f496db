/**
 * Version 2 of the report file (docs/report-format.md, "Version 2"): the compact form. What the
 * points of one strategy × retention share (its graph: node names, op types, phases, scopes and
 * outputs, with the batch dimension symbolic; and the op lists, with their bytes as a linear
 * function of the batch) is stored once, in `graphs`; each point keeps only its numbers. In memory
 * a report is always the expanded form (report.ts); compact.ts converts between the two.
 */
import { z } from 'zod';
import { ELEMENT_TYPES, ERROR_CODES } from '../vocabulary';
import { maxBatchSchema, reportHeaderShape } from './report';
import { phaseSchema, predictedSchema, retentionSchema, strategySchema } from './schema';
import { listOf } from './validation';

const nat = z.number().int().nonnegative();
const int = z.number().int();

/**
 * A dimension of an output's shape: a number, or the batch: `"B"`, or `"B*k"` for k times the batch
 * (e.g. a `[B*H, T, D]` reshape). k is a whole number from 1 to 999,999,999.
 */
export const BATCH_DIM = /^B(\*[1-9][0-9]{0,8})?$/;
export const dimSchema = z.union([nat, z.string().regex(BATCH_DIM, 'a dimension is a number, "B" or "B*k"')]);
export type Dim = z.infer<typeof dimSchema>;

export const tensorV2Schema = z.object({
  name: z.string(),
  dtype: z.enum(ELEMENT_TYPES),
  shape: listOf(dimSchema),
});
export type TensorV2 = z.infer<typeof tensorV2Schema>;

/** One entry of a graph's node table: everything of an op record that is not a number. */
export const nodeV2Schema = z.object({
  node: z.string(),
  opType: z.string(),
  phase: phaseSchema,
  scope: z.string(),
  outputs: listOf(tensorV2Schema),
});
export type NodeV2 = z.infer<typeof nodeV2Schema>;

/**
 * An op list shared by points: the node of each op (an index into the graph's `nodes`), and per op
 * `[perBatch, base]` for its allocated and freed bytes: `perBatch × batch + base`, unless a point
 * says otherwise.
 */
export const sequenceV2Schema = z
  .object({
    nodes: listOf(nat),
    alloc: listOf(z.tuple([int, int])),
    freed: listOf(z.tuple([int, int])),
  })
  .refine((s) => s.alloc.length === s.nodes.length && s.freed.length === s.nodes.length, {
    message: 'alloc and freed need one entry per node',
    path: ['alloc'],
  });
export type SequenceV2 = z.infer<typeof sequenceV2Schema>;

/** The graph of one strategy × retention: its op lists (their nodes index the report's `nodes`). */
export const graphV2Schema = z.object({
  strategy: strategySchema,
  retention: retentionSchema,
  sequences: listOf(sequenceV2Schema),
});
export type GraphV2 = z.infer<typeof graphV2Schema>;

/** Exceptions: `[index, value, index, value, …]`, op indices in increasing order. */
const exceptions = listOf(z.number()).refine((a) => a.length % 2 === 0, {
  message: 'expected [index, value] pairs',
});

/**
 * A point's op list: which sequence of its graph, the live bytes before the first op, the values
 * that differ from the sequence's (`alloc`, `freed`, and `live`: liveBytesAfter, otherwise the
 * previous op's plus this one's allocated minus freed bytes) and the GPU times: `gpu`, one entry
 * per op in whole microseconds, packed (gpuTimes.ts; `null`: no op has a time), with `gpuMs`
 * giving, in milliseconds, the times that are not whole microseconds.
 */
export const opsV2Schema = z.object({
  seq: nat,
  start: int,
  alloc: exceptions,
  freed: exceptions,
  live: exceptions,
  gpu: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/, 'expected GPU times packed as in docs/report-format.md')
    .nullable(),
  gpuMs: exceptions,
});
export type OpsV2 = z.infer<typeof opsV2Schema>;

const predictedV2Schema = z.object({
  peakBytes: nat,
  peakNode: z.string(),
  floorBytes: nat,
  byCategory: predictedSchema.shape.byCategory,
  byScope: predictedSchema.shape.byScope,
  ops: opsV2Schema,
});
export type PredictedV2 = z.infer<typeof predictedV2Schema>;

const measuredV2Schema = z.object({
  peakLiveBytes: nat,
  peakReservedBytes: nat,
  unattributedBytes: nat,
  nonTensorBytes: nat.optional(),
  stepMs: z.number().nonnegative(),
  firstStepMs: z.number().nonnegative().optional(),
  loss: z.number(),
  ops: opsV2Schema,
});
export type MeasuredV2 = z.infer<typeof measuredV2Schema>;

export const pointV2Schema = z.object({
  strategy: strategySchema,
  retention: retentionSchema,
  batch: z.number().int().positive(),
  predicted: predictedV2Schema.nullable(),
  measured: measuredV2Schema.nullable(),
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type PointV2 = z.infer<typeof pointV2Schema>;

/** The version 2 file. Everything but `graphs` and the points' op lists is as in memory. */
export const reportFileV2Schema = z.object({
  schemaVersion: z.literal(2),
  ...reportHeaderShape,
  /** Every node of every op list, once: the sequences name them by index. */
  nodes: listOf(nodeV2Schema),
  graphs: listOf(graphV2Schema),
  points: listOf(pointV2Schema),
  maxBatch: listOf(maxBatchSchema),
});
export type ReportFileV2 = z.infer<typeof reportFileV2Schema>;
