/**
 * TEMPORARY stand-in (replaced at merge by the report I/O module): reads and writes report files,
 * plain or gzipped JSON. This version writes and reads schemaVersion 1 only.
 */
import type { Report } from './report';
import { parseReport } from './report';

export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;

export class ReportImportError extends Error {}

/** The platform's gzip streams (browsers and Node 20), typed here only for this stand-in. */
interface Web {
  Blob: new (parts: Uint8Array[]) => { stream(): { pipeThrough(s: unknown): unknown } };
  Response: new (body: unknown) => { arrayBuffer(): Promise<ArrayBuffer> };
  CompressionStream: new (format: 'gzip') => unknown;
  DecompressionStream: new (format: 'gzip') => unknown;
}
const web = globalThis as unknown as Web;

async function pipe(
  bytes: Uint8Array,
  kind: 'CompressionStream' | 'DecompressionStream',
): Promise<Uint8Array> {
  const out = new web.Blob([bytes]).stream().pipeThrough(new web[kind]('gzip'));
  return new Uint8Array(await new web.Response(out).arrayBuffer());
}

export async function encodeReport(
  r: Report,
  opts: { version?: 1 | 2; gzip?: boolean; pretty?: boolean } = {},
): Promise<Uint8Array> {
  const text = JSON.stringify(r, null, opts.pretty === false ? undefined : 2);
  const bytes = new TextEncoder().encode(text);
  return opts.gzip ? pipe(bytes, 'CompressionStream') : bytes;
}

export async function decodeReport(bytes: Uint8Array): Promise<Report> {
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = await pipe(bytes, 'DecompressionStream');
    } catch (err) {
      throw new ReportImportError(
        `not a valid gzip file: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(raw));
  } catch (err) {
    throw new ReportImportError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseReport(data);
  } catch (err) {
    throw new ReportImportError(err instanceof Error ? err.message : String(err));
  }
}
