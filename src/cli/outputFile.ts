/**
 * Where commands write their results: checked before any work starts (a run that measures for an
 * hour must not fail at the end because --out cannot be written), then written atomically — to a
 * temporary file in the same folder, flushed, then renamed over the target — so that a failed or
 * interrupted write (a full disk, `ulimit -f`, kill -9) leaves either the previous file or the
 * complete new one, never a truncated one.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './io';

/** The temporary file a write of `target` goes through (same folder, so rename is atomic). */
const tempFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);

/**
 * Throws a UsageError naming the flag unless `path` can be written: its folder exists, is a
 * folder, and a file can be created in it; the path itself is not a folder.
 */
export function checkOutputPath(flag: string, path: string): void {
  const target = resolve(path);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new UsageError(`${flag} ${path}: the folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is a file, not a folder`);
  if (existsSync(target) && statSync(target).isDirectory())
    throw new UsageError(`${flag} ${path} is a folder, give a file path`);
  const probe = tempFor(target);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw new UsageError(
      `${flag} ${path}: cannot create a file in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Writes `data` to `path` atomically (see the module comment); the error names the path. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = resolve(path);
  const temp = tempFor(target);
  try {
    const fd = openSync(temp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}
