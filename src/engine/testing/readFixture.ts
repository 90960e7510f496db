/**
 * Test support: the bytes of a fixture file, in Node. The engine's tests are type-checked without
 * Node's library (tsconfig.app.json), so `node:fs` is reached through `process.getBuiltinModule`
 * (Node 20.16+) with the one signature used here.
 */
interface NodeFs {
  readFileSync(path: URL): Uint8Array;
}

export function readFixture(url: URL): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  if (!fs) throw new Error('readFixture needs Node 20.16 or later');
  const b = fs.readFileSync(url);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
