/**
 * onnxruntime-web's failures as text.
 *
 * Most of ORT's failures come back as Errors carrying its status message. Some do not: a C++
 * exception that escapes the wasm (an ORT_ENFORCE that fails inside a kernel resumed by asyncify,
 * or in a destructor such as the session's, which ends profiling) reaches JavaScript as a bare
 * number. Emscripten's JS exception handling throws the address of the thrown C++ object, so a
 * failed step said only `run: 10574824`. The message is still in the wasm memory: ORT throws
 * `onnxruntime::OnnxRuntimeException`, a `std::exception`, and its `what()` is the third slot of
 * its vtable (Itanium C++ ABI: complete destructor, deleting destructor, what), a function in the
 * module's indirect function table.
 *
 * ORT's module object is internal to onnxruntime-web, so `installWasmTap()` wraps
 * WebAssembly.instantiate/instantiateStreaming (before ORT is first imported) and keeps the memory
 * and function table of each module instantiated; `ortErrorText()` decodes a thrown address with
 * them, and calls `what()` only after the exception's type info shows it derives from
 * `std::exception`.
 */

/** What decoding needs of an instance: its memory and its indirect function table. */
export interface WasmView {
  memory: { readonly buffer: ArrayBufferLike };
  table: { get(index: number): unknown };
}

const TAP = Symbol.for('headroom.wasmTap');

interface Tap {
  instances: WasmView[];
}

/** The instances seen so far (newest first), or none before installWasmTap(). */
function tappedInstances(): readonly WasmView[] {
  return (globalThis as Record<symbol, Tap | undefined>)[TAP]?.instances ?? [];
}

function viewOf(instance: WebAssembly.Instance, imports: unknown): WasmView | null {
  let memory: WebAssembly.Memory | undefined;
  let table: WebAssembly.Table | undefined;
  for (const v of Object.values(instance.exports)) {
    if (v instanceof WebAssembly.Memory) memory = v;
    else if (v instanceof WebAssembly.Table) table ??= v;
  }
  // ORT's threaded build imports its (shared) memory instead of exporting it.
  if (!memory && imports && typeof imports === 'object')
    for (const mod of Object.values(imports as Record<string, unknown>))
      if (mod && typeof mod === 'object')
        for (const v of Object.values(mod as Record<string, unknown>))
          if (v instanceof WebAssembly.Memory) memory = v;
  return memory && table ? { memory, table } : null;
}

/**
 * Wraps WebAssembly.instantiate and instantiateStreaming (idempotent) to remember each module's
 * memory and function table. Call before onnxruntime-web instantiates its wasm (its first session).
 */
export function installWasmTap(): void {
  const g = globalThis as Record<symbol, Tap | undefined>;
  if (g[TAP] || typeof WebAssembly === 'undefined') return;
  const tap: Tap = { instances: [] };
  g[TAP] = tap;
  const remember = (result: unknown, imports: unknown) => {
    const instance =
      result instanceof WebAssembly.Instance
        ? result
        : (result as { instance?: unknown } | null)?.instance instanceof WebAssembly.Instance
          ? (result as { instance: WebAssembly.Instance }).instance
          : null;
    const view = instance && viewOf(instance, imports);
    // ORT instantiates one module per realm; a few are kept in case others come and go.
    if (view) tap.instances = [view, ...tap.instances].slice(0, 4);
  };
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const orig = wasm[name];
    if (typeof orig !== 'function') continue;
    wasm[name] = function (this: unknown, ...args: unknown[]) {
      const pending = (orig as (...a: unknown[]) => Promise<unknown>).apply(this ?? WebAssembly, args);
      return pending.then((result) => {
        remember(result, args[1]);
        return result;
      });
    };
  }
}

/** `Nn...E` / `St...` nested names of the Itanium ABI, e.g. N11onnxruntime20OnnxRuntimeExceptionE. */
export function demangleTypeName(mangled: string): string {
  let s = mangled;
  const parts: string[] = [];
  if (s.startsWith('St')) {
    parts.push('std');
    s = s.slice(2);
  } else if (s.startsWith('N') && s.endsWith('E')) {
    s = s.slice(1, -1);
    if (s.startsWith('St')) {
      parts.push('std');
      s = s.slice(2);
    }
  }
  while (s.length) {
    const m = /^(\d+)/.exec(s);
    if (!m) return mangled;
    const len = Number(m[1]);
    const name = s.slice(m[1]!.length, m[1]!.length + len);
    if (name.length !== len) return mangled;
    parts.push(name);
    s = s.slice(m[1]!.length + len);
  }
  return parts.length ? parts.join('::') : mangled;
}

/** Reads wasm32 memory with every access bounds-checked (a bad address throws RangeError). */
class Memory {
  private readonly view: DataView;
  constructor(buffer: ArrayBufferLike) {
    this.view = new DataView(buffer);
  }
  get size(): number {
    return this.view.byteLength;
  }
  u32(addr: number): number {
    if (!Number.isInteger(addr) || addr < 0 || addr + 4 > this.size)
      throw new RangeError(`bad address ${addr}`);
    return this.view.getUint32(addr, true);
  }
  /** The NUL-terminated string at `addr` (at most `max` bytes), decoded as UTF-8. */
  cString(addr: number, max = 65536): string {
    if (!Number.isInteger(addr) || addr <= 0 || addr >= this.size)
      throw new RangeError(`bad address ${addr}`);
    const end = Math.min(this.size, addr + max);
    const bytes = new Uint8Array(this.view.buffer, addr, end - addr);
    let n = bytes.indexOf(0);
    if (n < 0) n = bytes.length;
    // A copy: TextDecoder refuses views of a SharedArrayBuffer (ORT's threaded build) in browsers.
    return new TextDecoder().decode(bytes.slice(0, n));
  }
}

/** A mangled type name, as the ABI's type_info::__type_name holds it. */
const MANGLED = /^(?:N|St|\d)[A-Za-z0-9_]+$/;

/** The mangled name of the type_info at `ti`, or null when `ti` does not look like one. */
function typeName(mem: Memory, ti: number): string | null {
  try {
    if (ti < 1024 || ti % 4) return null;
    const name = mem.cString(mem.u32(ti + 4), 256);
    return MANGLED.test(name) ? name : null;
  } catch {
    return null;
  }
}

const STD_EXCEPTION = 'St9exception';

/**
 * Whether the class of type_info `ti` is or derives from std::exception: follows the base of
 * `__si_class_type_info` (single inheritance: base at +8) and the bases of `__vmi_class_type_info`
 * (flags at +8, base count at +12, {base, offset_flags} pairs from +16), checking each step's name.
 */
function derivesFromStdException(mem: Memory, ti: number, depth = 0): boolean {
  const name = typeName(mem, ti);
  if (!name || depth > 8) return false;
  if (name === STD_EXCEPTION) return true;
  try {
    const base = mem.u32(ti + 8);
    if (typeName(mem, base) && derivesFromStdException(mem, base, depth + 1)) return true;
    const count = mem.u32(ti + 12);
    if (count > 0 && count < 16)
      for (let i = 0; i < count; i++) {
        const b = mem.u32(ti + 16 + 8 * i);
        if (typeName(mem, b) && derivesFromStdException(mem, b, depth + 1)) return true;
      }
  } catch {
    // ran off the memory: not a class type_info with bases
  }
  return false;
}

/**
 * The message of the C++ exception thrown at address `ptr` (what emscripten throws to JS), or null
 * when `ptr` is not one in this instance. Emscripten puts a 24-byte `__cxa_exception` header before
 * the object; its second word is the thrown type's type_info.
 */
export function cppExceptionMessage(ptr: number, wasm: WasmView): string | null {
  const mem = new Memory(wasm.memory.buffer);
  let ti: number;
  try {
    ti = mem.u32(ptr - 20);
  } catch {
    return null;
  }
  const name = typeName(mem, ti);
  if (!name) return null;
  const type = demangleTypeName(name);
  if (!derivesFromStdException(mem, ti))
    return `a C++ exception of type ${type} (no message: not a std::exception)`;
  try {
    const vtable = mem.u32(ptr);
    const what = wasm.table.get(mem.u32(vtable + 8));
    if (typeof what !== 'function') return null;
    const text = mem.cString(Number((what as (p: number) => number | bigint)(ptr)) >>> 0).trim();
    return text || `a C++ ${type} with an empty message`;
  } catch {
    return null;
  }
}

/**
 * The text of an error from onnxruntime-web: an Error's message, or the message of the C++
 * exception whose address the wasm threw (read from the module instances installWasmTap() saw).
 */
export function ortErrorText(e: unknown, instances: readonly WasmView[] = tappedInstances()): string {
  if (e instanceof Error) return e.message;
  const ptr = typeof e === 'bigint' ? Number(e) : e;
  if (typeof ptr === 'number' && Number.isInteger(ptr) && ptr > 0) {
    for (const wasm of instances) {
      const message = cppExceptionMessage(ptr, wasm);
      if (message) return message;
    }
    return `onnxruntime-web threw a C++ exception (at address ${ptr}) whose message could not be read`;
  }
  return String(e);
}
