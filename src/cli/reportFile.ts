/**
 * A report as the CLI writes it (docs/report-format.md): version 2, indented, and gzipped when
 * the file's name ends in `.gz`. Loads the report module (zod) only when a report is written.
 */
import type { Report } from '../engine/report/report';

export async function reportFileBytes(report: Report, path: string): Promise<Uint8Array> {
  const { encodeReport } = await import('../engine/report/io');
  return encodeReport(report, { pretty: true, gzip: path !== '-' && path.endsWith('.gz') });
}

/** Text for stdout (`-`): never gzipped. */
export async function reportText(report: Report): Promise<string> {
  return new TextDecoder().decode(await reportFileBytes(report, '-'));
}
