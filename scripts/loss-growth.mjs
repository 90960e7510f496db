/**
 * (Plain JS run through tsx, like scripts/plan-vs-measured.mjs.)
 * Planned per-sample growth of gpt2-small's shape (ReLU MLP, f32, allocator lazy) under
 * view/minimal and fused/minimal: peak(b + 1) - peak(b) for batches 1..4, and the node at each
 * peak, for every loss strategy. The numbers the README's loss section quotes.
 *   npx tsx scripts/loss-growth.mjs [--batches 1,2,3,4,5] [--live-at-peak]
 */
import { PRESETS } from '../src/engine/models/spec';
import { planSpec } from '../src/engine/plan/toReport';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const batches = option('batches', '1,2,3,4,5').split(',').map(Number);
const MiB = 2 ** 20;
const model = { ...PRESETS['gpt2-small'], activation: 'relu' };
const losses = option('loss', 'standard,chunked').split(',');

for (const strategy of ['view', 'fused']) {
  for (const loss of losses) {
    const spec = {
      model,
      strategy,
      retention: 'minimal',
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
      loss,
      lossChunk: 128,
    };
    let plan;
    try {
      plan = planSpec(spec, 'lazy').plan;
    } catch (e) {
      console.log(`${strategy}/minimal loss=${loss}: ${e.message}`);
      continue;
    }
    const peaks = batches.map((b) => plan.summary(b));
    const growth = peaks.slice(1).map((p, i) => (p.peakBytes - peaks[i].peakBytes) / MiB);
    console.log(`${strategy}/minimal loss=${loss}`);
    for (const p of peaks)
      console.log(`  B=${p.batch} peak ${(p.peakBytes / MiB).toFixed(1)} MiB at ${p.peakNode}`);
    console.log(`  growth per sample (MiB): ${growth.map((x) => x.toFixed(1)).join(', ')}`);
    if (args.includes('--live-at-peak')) {
      const at = plan.at(Number(option('at', batches.at(-1))));
      for (const t of at.liveAtPeak.filter((t) => t.bytes > 8 * MiB))
        console.log(`    ${(t.bytes / MiB).toFixed(1).padStart(8)} MiB ${t.category.padEnd(10)} ${t.tensor}`);
    }
  }
}
