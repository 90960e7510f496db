/**
 * Every format a report can be exported to, and the one entry that writes the engine's formats as
 * bytes. `onnx` is listed but built outside the report layer (it rebuilds the point's training
 * graph from the model, src/cli/report.ts), so `exportReportAs` refuses it.
 */
import { encodeReport, gzipBytes } from '../io';
import type { Report } from '../report';
import type { Point } from '../schema';
import { opsCsv, pointsCsv } from './csv';
import { reportMarkdown } from './markdown';
import { memorySnapshot } from './snapshot';
import { chromeTrace } from './trace';
import type { ExportFormat } from './formats';

export { opsCsv, pointsCsv } from './csv';
export { reportMarkdown } from './markdown';
export { chromeTrace } from './trace';
export { EXPORT_FORMATS, POINT_FORMATS, type ExportFormat } from './formats';
export { defaultPoint, pointOf, pointRef, PointRefError, type DefaultPoint } from './pick';

export interface ExportOptions {
  /** The point of trace and snapshot (required), of csv's op rows, of md's costliest ops. */
  point?: Point;
  /** Which op records of the point (csv, trace): default measured when the point has them. */
  ops?: 'predicted' | 'measured';
  /** md: a budget for the max-batch section. */
  budgetBytes?: number;
  /** gzip the bytes (any format). */
  gzip?: boolean;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The report in `format`, as the bytes of a file. */
export async function exportReportAs(
  r: Report,
  format: ExportFormat,
  opts: ExportOptions = {},
): Promise<Uint8Array> {
  const { point } = opts;
  const needPoint = (): Point => {
    if (!point) throw new Error(`the ${format} format describes one point: give one`);
    return point;
  };
  const which = (p: Point) => opts.ops ?? (p.measured ? 'measured' : 'predicted');
  let bytes: Uint8Array;
  switch (format) {
    case 'json':
      return encodeReport(r, { gzip: opts.gzip });
    case 'csv':
      bytes = text(point ? opsCsv(r, point, which(point)) : pointsCsv(r));
      break;
    case 'md':
      bytes = text(reportMarkdown(r, { budgetBytes: opts.budgetBytes, point }));
      break;
    case 'trace': {
      const p = needPoint();
      bytes = text(JSON.stringify(chromeTrace(r, p, { ops: which(p) })) + '\n');
      break;
    }
    case 'snapshot':
      bytes = memorySnapshot(r, needPoint());
      break;
    case 'onnx':
      throw new Error(
        'the onnx format rebuilds the training graph: export it with `headroom report --format onnx`',
      );
  }
  return opts.gzip ? gzipBytes(bytes) : bytes;
}
