/**
 * (Plain JS run through tsx: the TS projects cannot include src/ from scripts/.)
 * Node smoke test of the measured-run runtime on Dawn (the `webgpu` package): measures the tiny
 * graph and prints the attribution. Without a GPU, run it on SwiftShader:
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     npx tsx scripts/measure-node.mjs [lazyRelease|bucket] [--dump DIR]
 * --dump writes the raw trace and profile (the unit tests' fixtures come from such a dump).
 */
import fs from 'node:fs';
import path from 'node:path';
import { create, globals } from 'webgpu';
import { fdWriteCapture } from '../src/engine/runtime/capture';
import { MeasureRuntime } from '../src/engine/runtime/measure';
import { installSharedBufferWriteShim } from '../src/engine/runtime/shims';
import { installTracer } from '../src/engine/runtime/tracer';
import { tinyRequest } from '../src/harness/tinyModel';

Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
installSharedBufferWriteShim();
installTracer();

const args = process.argv.slice(2);
const dumpAt = args.indexOf('--dump');
const dumpDir = dumpAt >= 0 ? args[dumpAt + 1] : undefined;
const modes = args.filter((a, i) => !a.startsWith('--') && i !== dumpAt + 1);

const runtime = new MeasureRuntime({
  capture: fdWriteCapture(fs),
  onTrace: (trace) => {
    if (!dumpDir) return;
    fs.mkdirSync(dumpDir, { recursive: true });
    const file = path.join(dumpDir, `trace-${current}.json`);
    fs.writeFileSync(file, JSON.stringify(trace, null, 1));
  },
});
let current = '';
for (const mode of modes.length ? modes : ['lazyRelease']) {
  current = mode;
  const r = await runtime.measureStep(tinyRequest(mode));
  const { outputs, ops, ...rest } = r;
  console.log(JSON.stringify({ mode, ...rest, outputs: Object.keys(outputs) }, null, 1));
  console.table(ops.map((o) => ({ ...o, outputs: o.outputs.map((t) => `${t.name}[${t.shape}]`).join(' ') })));
}
runtime.releaseDevice();
