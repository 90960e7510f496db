/**
 * The few web-platform globals the engine uses, all present in browsers, Web Workers and Node 20
 * alike. The engine is type-checked against ES2023 and WebGPU's types only (tsconfig.engine.json,
 * no DOM and no Node library), so that code needing a page or Node cannot creep in; what it may
 * use from the platform is declared here, narrowly.
 */
export {};

declare global {
  interface Console {
    log(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    info(...data: unknown[]): void;
    debug(...data: unknown[]): void;
  }
  var console: Console;

  var performance: { now(): number };

  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean });
    decode(input?: ArrayBufferView | ArrayBuffer): string;
  }

  /** Gzip in and out of report files (report/io.ts): the streams' byte ends, and no more. */
  interface ByteStreamReader {
    read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
    cancel(reason?: unknown): Promise<void>;
  }
  interface ByteStreamWriter {
    readonly ready: Promise<void>;
    write(chunk: Uint8Array<ArrayBuffer>): Promise<void>;
    close(): Promise<void>;
    abort(reason?: unknown): Promise<void>;
  }
  interface ByteTransformStream {
    readonly readable: { getReader(): ByteStreamReader };
    readonly writable: { getWriter(): ByteStreamWriter };
  }
  class CompressionStream implements ByteTransformStream {
    constructor(format: 'gzip');
    readonly readable: { getReader(): ByteStreamReader };
    readonly writable: { getWriter(): ByteStreamWriter };
  }
  class DecompressionStream implements ByteTransformStream {
    constructor(format: 'gzip');
    readonly readable: { getReader(): ByteStreamReader };
    readonly writable: { getWriter(): ByteStreamWriter };
  }

  interface Event {
    readonly type: string;
  }
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }

  /** The parts of WebAssembly that runtime/ortError.ts reads (to decode onnxruntime's exceptions). */
  namespace WebAssembly {
    class Instance {
      readonly exports: Record<string, unknown>;
    }
    class Memory {
      readonly buffer: ArrayBuffer;
    }
    class Table {
      get(index: number): unknown;
    }
  }

  /** Where WebGPU lives: `navigator.gpu` (Dawn's `webgpu` package installs it in Node). */
  var navigator: Navigator | undefined;
}
