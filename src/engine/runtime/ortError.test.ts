import { describe, expect, it } from 'vitest';
import {
  cppExceptionMessage,
  demangleTypeName,
  installWasmTap,
  ortErrorText,
  type WasmView,
} from './ortError';

/**
 * A wasm module with an exported memory (1 page) and function table (4 slots), whose slot 3 holds
 * `what(this) -> 8192`: a stand-in for the `what()` of a thrown exception.
 */
const WHAT_RETURNS_8192 = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version
  ...[0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f], // type: (i32) -> i32
  ...[0x03, 0x02, 0x01, 0x00], // function 0 has type 0
  ...[0x04, 0x04, 0x01, 0x70, 0x00, 0x04], // table: funcref, 4 slots
  ...[0x05, 0x03, 0x01, 0x00, 0x01], // memory: 1 page
  ...[0x07, 0x09, 0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x74, 0x01, 0x00], // export "m" memory, "t" table
  ...[0x09, 0x07, 0x01, 0x00, 0x41, 0x03, 0x0b, 0x01, 0x00], // table[3] = function 0
  ...[0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x80, 0xc0, 0x00, 0x0b], // function 0: i32.const 8192
]);

const ORT_EXCEPTION = 'N11onnxruntime20OnnxRuntimeExceptionE';
const MESSAGE =
  'shader_helper.cc:308 numbers_storage_buffers_ <= limits_.maxStorageBuffersPerShaderStage was false. ' +
  'Too many storage buffers in shader. Current: 9, Max is 8';

/** Lays out what emscripten leaves in memory for a thrown C++ object; returns its address. */
function layOut(buffer: ArrayBufferLike, opts: { derived: boolean; message: string }): number {
  const view = new DataView(buffer);
  const u32 = (addr: number, v: number) => view.setUint32(addr, v, true);
  const str = (addr: number, s: string) => {
    const bytes = new TextEncoder().encode(s);
    new Uint8Array(buffer, addr, bytes.length + 1).set([...bytes, 0]);
  };
  const thrown = 4096;
  const typeInfo = 2048;
  const stdException = 2112;
  // __cxa_exception header (24 bytes) before the object: its second word is the type_info.
  u32(thrown - 20, typeInfo);
  // __si_class_type_info {vptr, name, base}; std::exception's class_type_info {vptr, name}.
  u32(typeInfo + 4, 3000);
  u32(typeInfo + 8, opts.derived ? stdException : 0);
  str(3000, opts.derived ? ORT_EXCEPTION : 'N3foo3BarE');
  u32(stdException + 4, 3100);
  str(3100, 'St9exception');
  // The object's vtable: complete dtor, deleting dtor, what() = table slot 3.
  u32(thrown, 5000);
  u32(5000 + 8, 3);
  str(8192, opts.message);
  return thrown;
}

async function instantiate(): Promise<WasmView> {
  const { instance } = await WebAssembly.instantiate(WHAT_RETURNS_8192);
  return {
    memory: instance.exports.m as WebAssembly.Memory,
    table: instance.exports.t as WebAssembly.Table,
  };
}

describe('onnxruntime errors as text', () => {
  it("reads a thrown OnnxRuntimeException's what() through the module's function table", async () => {
    const wasm = await instantiate();
    const ptr = layOut(wasm.memory.buffer, { derived: true, message: `${MESSAGE}\n` });
    expect(cppExceptionMessage(ptr, wasm)).toBe(MESSAGE);
    expect(ortErrorText(ptr, [wasm])).toBe(MESSAGE);
  });

  it('finds the module through the tap installed before it is instantiated', async () => {
    installWasmTap();
    installWasmTap(); // idempotent
    const wasm = await instantiate();
    const ptr = layOut(wasm.memory.buffer, { derived: true, message: MESSAGE });
    expect(ortErrorText(ptr)).toBe(MESSAGE);
  });

  it('calls no function for an exception that is not a std::exception', async () => {
    const wasm = await instantiate();
    let called = false;
    const table = { get: () => () => void (called = true) };
    const ptr = layOut(wasm.memory.buffer, { derived: false, message: MESSAGE });
    expect(ortErrorText(ptr, [{ memory: wasm.memory, table }])).toBe(
      'a C++ exception of type foo::Bar (no message: not a std::exception)',
    );
    expect(called).toBe(false);
  });

  it('says so when an address cannot be read, and passes Errors and other values through', async () => {
    const wasm = await instantiate();
    expect(ortErrorText(10574824, [wasm])).toBe(
      'onnxruntime-web threw a C++ exception (at address 10574824) whose message could not be read',
    );
    expect(ortErrorText(4096, [])).toMatch(/could not be read$/);
    expect(ortErrorText(new Error('failed to call OrtRun(). ERROR_CODE: 1'))).toBe(
      'failed to call OrtRun(). ERROR_CODE: 1',
    );
    expect(ortErrorText('text')).toBe('text');
    expect(ortErrorText(undefined)).toBe('undefined');
  });

  it('demangles the type names it reports', () => {
    expect(demangleTypeName(ORT_EXCEPTION)).toBe('onnxruntime::OnnxRuntimeException');
    expect(demangleTypeName('St9exception')).toBe('std::exception');
    expect(demangleTypeName('NSt3__212system_errorE')).toBe('std::__2::system_error');
    expect(demangleTypeName('Z3fooi')).toBe('Z3fooi');
  });
});
