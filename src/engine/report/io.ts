/**
 * Report files: bytes in, a validated report out, and back (docs/report-format.md, "Files").
 * Writes version 2 (compact.ts) by default, optionally gzipped; reads version 1 and 2, gzipped or
 * not. Runs in browsers, Web Workers and Node 20 alike (the web-standard CompressionStream and
 * DecompressionStream, no Node module).
 *
 * Reading is for files from anywhere: the size is checked before anything is read whole, gzip
 * is inflated in a stream up to a cap, the JSON's nesting is measured before it is parsed, and
 * every failure, whatever its cause, is a ReportImportError naming the field or what was expected.
 */
import { compactReport, expandReport } from './compact';
import { ReportImportError } from './importError';
import { parseReport, parseReportV1, reportFileV1Schema, type Report } from './report';
import { reportFileV2Schema } from './schemaV2';
import { parseWith } from './validation';

export { ReportImportError };

/** Files over this many bytes are refused before they are read whole. */
export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;
/** A gzipped report may not inflate past this many bytes (gzip bombs). */
export const MAX_INFLATED_BYTES = 128 * 1024 * 1024;
/** JSON nested deeper than this is refused before it is parsed (a report nests 9 levels). */
export const MAX_JSON_DEPTH = 64;

/** Compressed bytes fed to the inflater at a time: one slice inflates to at most ~16 MiB (deflate expands 1032:1 at most). */
const GUNZIP_SLICE = 16 * 1024;

/** gzip's magic number, 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Pushes `bytes` through a (de)compression stream a slice at a time while reading its output,
 * refusing output past `maxBytes` as soon as it passes: the whole is never inflated first.
 */
async function pipeLimited(
  stream: CompressionStream | DecompressionStream,
  bytes: Uint8Array,
  maxBytes: number,
  slice: number,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  const feeding = (async () => {
    for (let i = 0; i < bytes.length && !stopped; i += slice) {
      await writer.ready;
      await writer.write(bytes.slice(i, Math.min(bytes.length, i + slice)));
    }
    if (!stopped) await writer.close();
  })();
  // The reader reports the stream's own error; the feeder's copy of it is not needed.
  feeding.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      total += r.value.length;
      if (total > maxBytes) {
        stopped = true;
        throw new ReportImportError(
          `the gzipped report inflates past ${maxBytes} bytes, the most a report may have`,
        );
      }
      chunks.push(r.value);
    }
  } catch (e) {
    stopped = true;
    reader.cancel().catch(() => undefined);
    writer.abort().catch(() => undefined);
    if (e instanceof ReportImportError) throw e;
    throw new ReportImportError(`not a valid gzip stream (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  await feeding.catch(() => undefined);
  return concat(chunks, total);
}

export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeLimited(new CompressionStream('gzip'), bytes, Number.MAX_SAFE_INTEGER, 1 << 20);
}

/** Inflates gzip, streaming: throws ReportImportError as soon as the output passes `maxBytes`. */
export async function gunzipLimited(
  bytes: Uint8Array,
  maxBytes: number = MAX_INFLATED_BYTES,
): Promise<Uint8Array> {
  return pipeLimited(new DecompressionStream('gzip'), bytes, maxBytes, GUNZIP_SLICE);
}

export interface EncodeOptions {
  /** The file's schemaVersion: 2 (compact, the default) or 1 (every op list in full). */
  version?: 1 | 2;
  /** Gzip the JSON (default false). */
  gzip?: boolean;
  /** Indented JSON, lists of numbers on one line (default false: no whitespace). */
  pretty?: boolean;
}

/** JSON indented by two spaces, except that an array of numbers, strings or nulls stays on one line. */
export function prettyJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** A report as file bytes: validated as the file it becomes (throws Error if it is not valid). */
export async function encodeReport(r: Report, opts: EncodeOptions = {}): Promise<Uint8Array> {
  const version = opts.version ?? 2;
  const doc =
    version === 2
      ? parseWith(reportFileV2Schema, compactReport(r), 'cannot write the report (schemaVersion 2)')
      : parseWith(
          reportFileV1Schema,
          { ...r, schemaVersion: 1 },
          'cannot write the report (schemaVersion 1)',
        );
  const text = opts.pretty ? prettyJson(doc) + '\n' : JSON.stringify(doc);
  const bytes = new TextEncoder().encode(text);
  return opts.gzip ? gzipBytes(bytes) : bytes;
}

/**
 * The deepest nesting of arrays and objects in JSON text, counted outside strings; stops counting
 * (returns a value > limit) as soon as it passes `limit`. Linear, no recursion.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function documentOf(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ReportImportError('not a report: the file is not UTF-8 text (nor gzip)', { cause: e });
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new ReportImportError(`not a report: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReportImportError(
      `not a report: invalid JSON (${e instanceof Error ? e.message : String(e)})`,
      {
        cause: e,
      },
    );
  }
}

function reportOf(doc: unknown): Report {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new ReportImportError('not a report: (the document): expected a JSON object');
  const version = (doc as { schemaVersion?: unknown }).schemaVersion;
  if (version === 1) return parseReportV1(doc);
  if (version === 2) {
    const file = parseWith(reportFileV2Schema, doc, 'not a valid Headroom report (schemaVersion 2)');
    return parseReport(expandReport(file));
  }
  throw new ReportImportError(
    `not a valid Headroom report: schemaVersion: expected 1 or 2, got ${JSON.stringify(version) ?? 'nothing'}`,
  );
}

/**
 * A report from file bytes: size checked, gzip inflated (up to MAX_INFLATED_BYTES), JSON depth
 * checked then parsed, version 1 or 2 by `schemaVersion`, validated in full. Every failure is a
 * ReportImportError.
 */
export async function decodeReport(bytes: Uint8Array): Promise<Report> {
  try {
    if (bytes.length > MAX_REPORT_FILE_BYTES)
      throw new ReportImportError(
        `the file has ${bytes.length} bytes, more than the ${MAX_REPORT_FILE_BYTES} a report may have`,
      );
    const text = isGzip(bytes) ? await gunzipLimited(bytes, MAX_INFLATED_BYTES) : bytes;
    return reportOf(documentOf(text));
  } catch (e) {
    if (e instanceof ReportImportError) throw e;
    // A validation error (parseWith), a stack or memory limit (RangeError), anything else.
    throw new ReportImportError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}
