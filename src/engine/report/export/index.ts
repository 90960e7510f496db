/**
 * TEMPORARY stand-in (replaced at merge by the report exporters): JSON only; the other formats
 * throw until the real module lands.
 */
import { encodeReport } from '../io';
import type { Report } from '../report';
import type { Point } from '../schema';

export const EXPORT_FORMATS = ['json', 'csv', 'md', 'trace', 'snapshot', 'onnx'] as const;

export async function exportReportAs(
  r: Report,
  format: 'json' | 'csv' | 'md' | 'trace' | 'snapshot',
  opts: { point?: Point; gzip?: boolean },
): Promise<Uint8Array> {
  if (format === 'json') return encodeReport(r, { gzip: opts.gzip ?? false });
  throw new Error(`${format} export: not available yet`);
}
