/**
 * TEMPORARY stand-in for the report file format module (report v2 compact format + gzip), written
 * by another engineer: it has exactly their API so the exporters and `headroom report` compile and
 * test. This version reads and writes version 1 JSON only. Replaced at merge.
 */
import { parseReport, type Report } from './report';

export const MAX_REPORT_FILE_BYTES = 256 * 2 ** 20;
export const MAX_INFLATED_BYTES = 512 * 2 ** 20;

export class ReportImportError extends Error {
  override readonly name = 'ReportImportError';
}

/** The platform's (de)compression streams, typed narrowly: the engine is checked without the DOM. */
interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface ByteTransform {
  readable: { getReader(): ByteReader };
  writable: { getWriter(): ByteWriter };
}
type TransformCtor = new (format: 'gzip') => ByteTransform;
const streams = globalThis as unknown as {
  CompressionStream: TransformCtor;
  DecompressionStream: TransformCtor;
};

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function pipe(t: ByteTransform, bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const writer = t.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close());
  written.catch(() => undefined);
  const reader = t.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ReportImportError(`inflates to more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(new streams.CompressionStream('gzip'), bytes, Number.MAX_SAFE_INTEGER);
}

export async function gunzipLimited(bytes: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Promise<Uint8Array> {
  try {
    return await pipe(new streams.DecompressionStream('gzip'), bytes, maxBytes);
  } catch (e) {
    if (e instanceof ReportImportError) throw e;
    throw new ReportImportError(`not a valid gzip file: ${(e as Error).message}`);
  }
}

export interface EncodeOptions {
  version?: 1 | 2;
  gzip?: boolean;
  pretty?: boolean;
}

export async function encodeReport(r: Report, opts: EncodeOptions = {}): Promise<Uint8Array> {
  if (opts.version === 2) throw new Error('report version 2 is not available in this build');
  const text = JSON.stringify(r, null, opts.pretty === false ? undefined : 2) + '\n';
  const bytes = new TextEncoder().encode(text);
  return opts.gzip ? gzipBytes(bytes) : bytes;
}

export async function decodeReport(bytes: Uint8Array): Promise<Report> {
  if (bytes.length > MAX_REPORT_FILE_BYTES)
    throw new ReportImportError(`the file is over ${MAX_REPORT_FILE_BYTES} bytes`);
  const raw = isGzip(bytes) ? await gunzipLimited(bytes) : bytes;
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw new ReportImportError(`neither gzip nor JSON: ${(e as Error).message}`);
  }
  try {
    return parseReport(data);
  } catch (e) {
    throw new ReportImportError((e as Error).message);
  }
}
