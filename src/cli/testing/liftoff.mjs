// Preloaded into the Node processes that the GPU tests spawn (NODE_OPTIONS=--import=...; see
// spawn.ts): V8 compiles WebAssembly with its baseline compiler (Liftoff) only. On Node 20 its
// optimizing tier spends 40-70 s of CPU on onnxruntime-web's asyncify build before the first
// step finishes (the main thread waits on it), which was most of each spawned run's "warm-up";
// SwiftShader's own shader compiles take a few seconds. What the tests check does not depend on
// which compiler ran the wasm.
import v8 from 'node:v8';

v8.setFlagsFromString('--liftoff-only');
