/**
 * Capturing what onnxruntime-web prints (its profile JSON comes out of `endProfiling()` as text).
 *
 * ORT's emscripten glue prints stdout through `console.log.bind(console)`, bound once when the
 * wasm module is instantiated (the first session), so replacing console.log later does not reach
 * it. `installConsoleTap()` therefore wraps console.log once, early, and routes it to a sink while
 * a capture is active. In Node the same glue writes with `fs.writeSync(1, ...)` instead; pass
 * `fdWriteCapture(fs)` (fs from the caller: the engine imports no Node modules).
 */

/** Runs fn and returns what was printed meanwhile. */
export type OutputCapture = (fn: () => void) => string;

const TAP = Symbol.for('headroom.consoleTap');

interface Tap {
  sink: string[] | null;
}

/** Wraps console.log once (idempotent). Call before onnxruntime-web creates its first session. */
export function installConsoleTap(): OutputCapture {
  const c = console as unknown as Record<symbol, Tap | undefined> & { log: (...a: unknown[]) => void };
  let tap = c[TAP];
  if (!tap) {
    const t: Tap = { sink: null };
    const orig = console.log;
    console.log = (...args: unknown[]) => {
      if (t.sink) t.sink.push(args.map(String).join(' '));
      else orig.apply(console, args);
    };
    c[TAP] = tap = t;
  }
  const active = tap;
  return (fn) => {
    const lines: string[] = [];
    const prev = active.sink;
    active.sink = lines;
    try {
      fn();
    } finally {
      active.sink = prev;
    }
    return lines.join('\n');
  };
}

/** The part of Node's fs this needs (method syntax: node's overloads are assignable). */
export interface FsLike {
  writeSync(fd: number, data: string | Uint8Array, ...rest: unknown[]): number;
}

/** Node: captures what is written to a file descriptor (default stdout) through fs.writeSync. */
export function fdWriteCapture(fs: FsLike, fd = 1): OutputCapture {
  return (fn) => {
    const chunks: string[] = [];
    const orig = fs.writeSync;
    fs.writeSync = (target: number, data: string | Uint8Array, ...rest: unknown[]) => {
      if (target !== fd) return orig.call(fs, target, data, ...rest);
      const s = typeof data === 'string' ? data : new TextDecoder().decode(data);
      chunks.push(s);
      return s.length;
    };
    try {
      fn();
    } finally {
      fs.writeSync = orig;
    }
    return chunks.join('');
  };
}
