/**
 * Reports as CSV (RFC 4180): one row per point, or one row per op of a point. Fields are separated
 * by commas and records end with CRLF; a field holding a comma, a double quote, CR or LF is
 * enclosed in double quotes, its quotes doubled. Absent values (null) are empty fields.
 *
 * Names come from the report, i.e. from a file someone sent: a text cell starting with `=`, `+`,
 * `-`, `@`, a tab or CR would be read as a formula by spreadsheets (CSV injection, OWASP), so it
 * gets a leading apostrophe. Numbers are written as numbers (a negative loss stays a number).
 */
import type { Report } from '../report';
import type { Point, TensorRecord } from '../schema';
import { opsOf } from './pick';

type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: text guarded against formula injection, then quoted if it must be. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly Cell[][]): string {
  return [header.map(csvField), ...rows.map((r) => r.map(csvField))]
    .map((r) => r.join(',') + '\r\n')
    .join('');
}

export const POINT_COLUMNS = [
  'strategy',
  'retention',
  'batch',
  'plannedPeakBytes',
  'floorBytes',
  'measuredPeakLiveBytes',
  'measuredPeakReservedBytes',
  'unattributedBytes',
  'stepMs',
  'loss',
  'errorCode',
  'errorMessage',
] as const;

/** One row per point of the report, in the report's order. */
export function pointsCsv(r: Report): string {
  return csv(
    POINT_COLUMNS,
    r.points.map((p) => [
      p.strategy,
      p.retention,
      p.batch,
      p.predicted?.peakBytes ?? null,
      p.predicted?.floorBytes ?? null,
      p.measured?.peakLiveBytes ?? null,
      p.measured?.peakReservedBytes ?? null,
      p.measured?.unattributedBytes ?? null,
      p.measured?.stepMs ?? null,
      p.measured?.loss ?? null,
      p.error?.code ?? null,
      p.error?.message ?? null,
    ]),
  );
}

export const OP_COLUMNS = [
  'node',
  'opType',
  'phase',
  'scope',
  'allocBytes',
  'freedBytes',
  'liveBytesAfter',
  'gpuMs',
  'outputs',
] as const;

/** A node's outputs: `name [2,16,32] float` each, separated by `; `. */
export function formatOutputs(outputs: readonly TensorRecord[]): string {
  return outputs.map((t) => `${t.name} [${t.shape.join(',')}] ${t.dtype}`).join('; ');
}

/** One row per op of the point's plan (`predicted`) or run (`measured`), in execution order. */
export function opsCsv(r: Report, point: Point, which: 'predicted' | 'measured'): string {
  void r;
  return csv(
    OP_COLUMNS,
    opsOf(point, which).map((o) => [
      o.node,
      o.opType,
      o.phase,
      o.scope,
      o.allocBytes,
      o.freedBytes,
      o.liveBytesAfter,
      o.gpuMs,
      formatOutputs(o.outputs),
    ]),
  );
}
