/**
 * Opening files in the page (a picker or a drop): Headroom reports (.json, .json.gz, decoded by
 * engine/report/io.ts) and PyTorch memory snapshots (.pickle). The decoders load on first use,
 * never with the page. A file over the size limit is refused from its size, before it is read.
 * And saving: bytes downloaded under a name.
 */
import { formatBytes } from '../format';

/**
 * Past this the page refuses a PyTorch snapshot before reading it: it is parsed on the page's
 * thread, and a larger one would hold the tab for seconds (record fewer entries:
 * `_record_memory_history(max_entries=100000)` makes a few MB).
 */
export const MAX_SNAPSHOT_FILE_BYTES = 64 * 1024 * 1024;

export type FileKind = 'report' | 'torch';

/** A PyTorch snapshot by its name (.pickle, .pkl), else a report. */
export const kindOf = (name: string): FileKind => (/\.(pickle|pkl)$/i.test(name) ? 'torch' : 'report');

export interface OpenedFile<T> {
  name: string;
  value: T;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function tooBig(file: File, limit: number): string {
  return `${file.name} is ${formatBytes(file.size)}: files over ${formatBytes(limit)} are refused (nothing was read)`;
}

/** Reads and validates a report file; throws an Error whose message names the file and what is wrong. */
export async function readReportFile(file: File) {
  const io = await import('../../engine/report/io');
  if (file.size > io.MAX_REPORT_FILE_BYTES) throw new Error(tooBig(file, io.MAX_REPORT_FILE_BYTES));
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { name: file.name, value: await io.decodeReport(bytes) };
  } catch (err) {
    throw new Error(`Could not open ${file.name}: ${messageOf(err)}`, { cause: err });
  }
}

/** Reads a PyTorch memory snapshot; throws an Error naming the file and what is wrong. */
export async function readSnapshotFile(file: File) {
  if (file.size > MAX_SNAPSHOT_FILE_BYTES) throw new Error(tooBig(file, MAX_SNAPSHOT_FILE_BYTES));
  const { readTorchSnapshot } = await import('../../engine/report/import/torchSnapshot');
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { name: file.name, value: readTorchSnapshot(bytes) };
  } catch (err) {
    throw new Error(`Could not open ${file.name} as a PyTorch snapshot: ${messageOf(err)}`, { cause: err });
  }
}

/** Downloads `data` as a file named `name`. */
export function saveFile(data: Uint8Array | Blob | string, name: string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
