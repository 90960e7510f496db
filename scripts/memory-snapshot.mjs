/**
 * Writes a planned step as a PyTorch memory snapshot, for checking it with PyTorch's own tools
 * (docs/memory-snapshot.md): the plan of a preset at one strategy, retention and batch, as
 * `<dir>/snap.pickle`, and the figures the snapshot must show as `<dir>/snap.expected.json`.
 * (Plain JS run through tsx, like scripts/measure-node.mjs.)
 *
 *     npx tsx scripts/memory-snapshot.mjs DIR [--preset tiny] [--strategy view] [--retention minimal] [--batch 4]
 */
import fs from 'node:fs';
import path from 'node:path';
import { PRESETS } from '../src/engine/models/spec';
import { planSpec, predicted } from '../src/engine/plan/toReport';
import { memorySnapshot } from '../src/engine/report/export/snapshot';
import { createReport, reportModel } from '../src/engine/report/report';

const args = process.argv.slice(2);
const dir = args[0];
if (!dir || dir.startsWith('--'))
  throw new Error('usage: memory-snapshot.mjs DIR [--preset P] [--strategy S] [--retention R] [--batch B]');
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const preset = flag('preset', 'tiny');
const spec = {
  model: PRESETS[preset],
  strategy: flag('strategy', 'view'),
  retention: flag('retention', 'minimal'),
  chunk: 8,
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
};
const batch = Number(flag('batch', '4'));
const { plan } = planSpec(spec, 'lazy');
const p = predicted(plan, batch);
const report = createReport({
  device: null,
  model: reportModel(preset, spec.model),
  dtype: 'f32',
  optimizer: 'none',
  microBatches: 1,
  allocator: 'lazy',
  chunk: spec.chunk,
  points: [
    { strategy: spec.strategy, retention: spec.retention, batch, predicted: p, measured: null, error: null },
  ],
});
const bytes = memorySnapshot(report, report.points[0]);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'snap.pickle'), bytes);
const expected = {
  preset,
  strategy: spec.strategy,
  retention: spec.retention,
  batch,
  ops: p.ops.length,
  peakBytes: p.peakBytes,
  peakNode: p.peakNode,
  finalLiveBytes: p.ops.at(-1).liveBytesAfter,
  liveBytesAfter: p.ops.map((o) => o.liveBytesAfter),
  pickleBytes: bytes.length,
};
fs.writeFileSync(path.join(dir, 'snap.expected.json'), JSON.stringify(expected));
console.log(
  `${preset} ${spec.strategy}/${spec.retention} batch ${batch}: ${p.ops.length} ops, peak ${p.peakBytes} B at ${p.peakNode}, final ${expected.finalLiveBytes} B; ${bytes.length} bytes of pickle`,
);
