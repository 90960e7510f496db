/**
 * Node + Dawn (`webgpu` package): onnxruntime-web writes uniforms and uploads from views of its
 * wasm memory, a SharedArrayBuffer, which dawn.node's GPUQueue.writeBuffer rejects. This wraps
 * writeBuffer to copy such views first. Browsers accept them; installing it there is harmless.
 */
const SHIMMED = Symbol.for('headroom.writeBufferShim');

export function installSharedBufferWriteShim(global: object = globalThis): void {
  const g = global as Record<string | symbol, unknown>;
  const proto = (g.GPUQueue as { prototype?: Record<string | symbol, unknown> } | undefined)?.prototype;
  if (!proto || typeof g.SharedArrayBuffer !== 'function' || proto[SHIMMED]) return;
  const orig = proto.writeBuffer as (...args: unknown[]) => unknown;
  proto.writeBuffer = function (this: unknown, ...args: unknown[]) {
    const data = args[2];
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      const Ctor = data.constructor as new (b: ArrayBuffer) => ArrayBufferView;
      args[2] = data instanceof DataView ? new DataView(bytes.buffer) : new Ctor(bytes.buffer);
    }
    return orig.apply(this, args);
  };
  proto[SHIMMED] = true;
}
