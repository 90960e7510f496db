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
    constructor(label?: string);
    decode(input?: ArrayBufferView | ArrayBuffer): string;
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
