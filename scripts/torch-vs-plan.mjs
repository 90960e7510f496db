/**
 * (Plain JS run through tsx, like scripts/plan-vs-measured.mjs.)
 * PyTorch's measured peaks beside Headroom's plans: reads the JSON of scripts/torch_compare.py
 * (run where PyTorch and a CUDA GPU are), plans every row's form at the same batch with the
 * engine's planner (lazy allocator: exact live bytes, as torch.cuda.max_memory_allocated counts
 * live tensors), and prints Markdown tables: the peaks, their ratio, and the growth per sample
 * of batch (a least-squares slope over the batches), the figure that constants (the CUDA
 * libraries' workspaces, Headroom's graph constants) do not move.
 *
 *   npx tsx scripts/torch-vs-plan.mjs bench/results/torch/torch-seed.json [more.json ...]
 *     [--json FILE]   also write the rows and the growths as JSON
 */
import fs from 'node:fs';
import { ComboPlanner } from '../src/engine/explore/planner';
import { PRESETS } from '../src/engine/models/spec';
import { DEFAULT_CHUNK } from '../src/engine/vocabulary';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : null;
const files = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
if (files.length === 0) {
  console.error('usage: npx tsx scripts/torch-vs-plan.mjs TORCH.json [...] [--json FILE]');
  process.exit(2);
}

const MIB = 2 ** 20;
const planner = new ComboPlanner(256);

/** Least-squares slope of bytes over batch. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.batch, 0) / n;
  const my = points.reduce((s, p) => s + p.bytes, 0) / n;
  const num = points.reduce((s, p) => s + (p.batch - mx) * (p.bytes - my), 0);
  const den = points.reduce((s, p) => s + (p.batch - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

/** Headroom's plan of a torch row, or the reason it has none. */
function planOf(doc, row) {
  const [strategy, retention] = row.headroom.split('/');
  const model = { ...PRESETS[row.preset], ...modelFields(doc.models[row.preset]) };
  const config = {
    model,
    chunk: DEFAULT_CHUNK,
    dtype: row.dtype,
    allocator: 'lazy',
    optimizer: row.optimizer,
    microBatches: 1,
  };
  try {
    const { plan } = planner.plan(config, { strategy, retention });
    return { bytes: plan.peakBytes(row.batch) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** torch_compare.py's model fields under the engine's names. */
function modelFields(m) {
  return {
    vocab: m.vocab,
    seq: m.seq,
    embd: m.embd,
    heads: m.heads,
    layers: m.layers,
    mlpRatio: m.mlp_ratio,
    activation: m.activation,
  };
}

const out = [];
const growth = [];
for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const groups = new Map();
  for (const row of doc.rows) {
    if (row.error) continue;
    const activation = doc.models[row.preset].activation;
    const key = `${row.preset} (${activation}), optimizer ${row.optimizer}, ${row.dtype}`;
    if (!groups.has(key)) groups.set(key, []);
    const plan = planOf(doc, row);
    const r = { ...row, activation, planBytes: plan.bytes ?? null, planError: plan.error ?? null };
    groups.get(key).push(r);
    out.push(r);
  }
  console.log(`\n## ${file}: PyTorch ${doc.torch} on ${doc.gpu}\n`);
  for (const [key, rows] of groups) {
    console.log(`### ${key}\n`);
    console.log('| PyTorch form | Headroom | batch | PyTorch peak | Headroom plan | plan / PyTorch |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const plan = r.planBytes === null ? `— (${r.planError})` : `${(r.planBytes / MIB).toFixed(1)} MiB`;
      const ratio = r.planBytes === null ? '—' : (r.planBytes / r.peakBytes).toFixed(3);
      console.log(
        `| ${r.form} | ${r.headroom} | ${r.batch} | ${(r.peakBytes / MIB).toFixed(1)} MiB | ${plan} | ${ratio} |`,
      );
    }
    console.log('\n| PyTorch form | Headroom | PyTorch per sample | Headroom per sample | ratio |');
    console.log('| --- | --- | ---: | ---: | ---: |');
    for (const form of [...new Set(rows.map((r) => r.form))]) {
      const rs = rows.filter((r) => r.form === form);
      const torch = slope(rs.map((r) => ({ batch: r.batch, bytes: r.peakBytes })));
      const planned = rs.every((r) => r.planBytes !== null)
        ? slope(rs.map((r) => ({ batch: r.batch, bytes: r.planBytes })))
        : NaN;
      growth.push({
        group: key,
        form,
        headroom: rs[0].headroom,
        torchPerSample: torch,
        planPerSample: planned,
      });
      const fmt = (v) => (Number.isFinite(v) ? `${(v / MIB).toFixed(1)} MiB` : '—');
      const ratio = Number.isFinite(planned) ? (planned / torch).toFixed(3) : '—';
      console.log(`| ${form} | ${rs[0].headroom} | ${fmt(torch)} | ${fmt(planned)} | ${ratio} |`);
    }
    console.log('');
  }
}
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify({ rows: out, growth }, null, 1)}\n`);
