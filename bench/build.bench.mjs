/**
 * (Plain JS run through tsx.) Building and planning whole models: the training graph (forward,
 * loss, backward), then its schedule, liveness and one plan summary, for the `seed` preset, a
 * 48-layer gpt2-medium-sized model, and gpt2-small's width at 24, 48, 96 and 192 layers (time
 * and memory must grow linearly with depth). Each model runs in its own process so that its peak
 * resident memory is its own. Writes bench-results/build.json.   npm run bench -- build
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const { PRESETS } = await import('../src/engine/models/spec');
const GPT2_SMALL = PRESETS['gpt2-small'];
const MODELS = {
  seed: PRESETS.seed,
  'gpt2-medium-48': { ...GPT2_SMALL, embd: 1024, heads: 16, layers: 48 },
  ...Object.fromEntries(
    [24, 48, 96, 192].map((layers) => [`gpt2-small-${layers}`, { ...GPT2_SMALL, layers }]),
  ),
};

const one = process.argv[2];
if (one) {
  // Child: build and plan one model (view / minimal), print timings as JSON.
  const { buildTrainingGraph } = await import('../src/engine/models/build');
  const { planGraph } = await import('../src/engine/plan/plan');
  const model = MODELS[one];
  const t0 = performance.now();
  const graph = buildTrainingGraph({
    model,
    strategy: 'view',
    retention: 'minimal',
    chunk: 64,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  });
  const t1 = performance.now();
  const plan = planGraph(graph, { allocator: 'lazy', floor: model });
  const peak = plan.summary(8).peakBytes;
  const t2 = performance.now();
  console.log(
    JSON.stringify({
      nodes: graph.nodes.length,
      buildMs: t1 - t0,
      planMs: t2 - t1,
      totalMs: t2 - t0,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      peakAtBatch8MiB: peak / 2 ** 20,
    }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const round = (x) => Math.round(x * 10) / 10;
  const results = {};
  for (const name of Object.keys(MODELS)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').at(-1));
    results[name] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)]));
    console.log(
      `${name}: ${results[name].nodes} nodes, ${results[name].totalMs} ms, ${results[name].peakRssMiB} MiB`,
    );
  }
  // Linear in depth: time and memory per layer barely change from 24 to 192 layers.
  const depth = [24, 48, 96, 192].map((l) => ({ layers: l, ...results[`gpt2-small-${l}`] }));
  const perLayer = depth.map((d) => ({
    layers: d.layers,
    msPerLayer: round(d.totalMs / d.layers),
    nodesPerLayer: round(d.nodes / d.layers),
  }));
  const ratio192over24 = round(depth[3].totalMs / depth[0].totalMs);
  const report = {
    bench: 'build',
    what: 'buildTrainingGraph + planGraph + one summary, view/minimal, f32, one process per model',
    results,
    perLayer,
    ratio192over24: { time: ratio192over24, layers: 8, target: 'about 8 (linear)' },
    target: '96 layers at gpt2-small width: <= 3000 ms',
    gpt2Small96Ms: results['gpt2-small-96'].totalMs,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    createdAt: new Date().toISOString(),
  };
  fs.mkdirSync('bench-results', { recursive: true });
  fs.writeFileSync('bench-results/build.json', JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify({ perLayer, ratio192over24: report.ratio192over24 }, null, 2));
}
