/**
 * (Plain JS run through tsx.) Merges reports of one configuration (same model, dtype, allocator,
 * chunk, optimizer, micro-batches, loss; e.g. the parts of a sweep run as parallel processes) into
 * one: every point once (a later file's point replaces an earlier one's, so a rerun wins over a
 * cancelled point), in sweep order (strategy, retention, batch).
 *
 *   npx tsx scripts/merge-reports.mjs OUT.json.gz IN.json.gz [IN ...]
 */
import fs from 'node:fs';
import { createReport } from '../src/engine/report/report';
import { decodeReport, encodeReport } from '../src/engine/report/io';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../src/engine/vocabulary';

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) {
  console.error('usage: npx tsx scripts/merge-reports.mjs OUT.json.gz IN.json.gz [IN ...]');
  process.exit(2);
}
const header = (r) =>
  JSON.stringify([r.model, r.dtype, r.allocator, r.chunk, r.optimizer, r.microBatches, r.loss, r.lossChunk]);
const reports = await Promise.all(inputs.map(async (f) => decodeReport(fs.readFileSync(f))));
const first = reports[0];
for (const [i, r] of reports.entries())
  if (header(r) !== header(first)) {
    console.error(`${inputs[i]} is of another configuration than ${inputs[0]}`);
    process.exit(1);
  }
const byId = new Map();
for (const r of reports)
  for (const p of r.points) {
    const id = `${p.strategy}/${p.retention}@${p.batch}`;
    if (!byId.has(id) || p.error?.code !== 'cancelled') byId.set(id, p);
  }
const rank = (p) => [STRATEGY_NAMES.indexOf(p.strategy), RETENTION_NAMES.indexOf(p.retention), p.batch];
const points = [...byId.values()].sort((a, b) => {
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
});
const merged = createReport({
  ...first,
  createdAt: new Date(first.createdAt),
  device: reports.find((r) => r.device)?.device ?? null,
  points,
  maxBatch: [],
});
fs.writeFileSync(out, await encodeReport(merged, { gzip: out.endsWith('.gz') }));
const measured = points.filter((p) => p.measured).length;
console.log(`wrote ${out}: ${points.length} points, ${measured} measured, from ${inputs.length} reports`);
