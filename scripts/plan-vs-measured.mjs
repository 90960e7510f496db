/**
 * (Plain JS run through tsx, like scripts/measure-node.mjs.)
 * Planned vs measured: for the tiny attention-only model and the tiny GPT, every strategy x
 * retention at batch 1, 2 and 4, measures one training step on Dawn (the `webgpu` package) and
 * compares it with the plan (src/engine/plan): peak live bytes, peak reserved bytes, the first
 * node where the planned order differs from the measured one, and the first op whose allocated
 * or freed bytes differ.
 * Without a GPU, run it on SwiftShader:
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     npx tsx scripts/plan-vs-measured.mjs [--cache lazyRelease|bucket] [--models attention,gpt]
 *       [--batches 1,2,4] [--only copy/minimal,fused/tape] [--chunk 8] [--json FILE] [--dump DIR]
 * --chunk is the chunked strategy's query chunk (the tiny models' T is 16: --chunk 1 gives 16
 * chunks, past the 7 pieces one Split or Concat may have, so their trees are checked too).
 * --dump writes planned and measured ops of every point, side by side, as JSON.
 * The first run in the process compiles every shader (about 30 s); later ones take seconds.
 */
import fs from 'node:fs';
import { create, globals } from 'webgpu';
import { buildTrainingGraph } from '../src/engine/models/build';
import { PRESETS } from '../src/engine/models/spec';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../src/engine/vocabulary';
import { planGraph } from '../src/engine/plan/plan';
import { stepRequest } from '../src/engine/profile/stepRequest';
import { fdWriteCapture } from '../src/engine/runtime/capture';
import { MeasureRuntime } from '../src/engine/runtime/measure';
import { installSharedBufferWriteShim } from '../src/engine/runtime/shims';
import { installTracer } from '../src/engine/runtime/tracer';

Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
installSharedBufferWriteShim();
installTracer();

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const cacheMode = option('cache', 'lazyRelease');
const batches = option('batches', '1,2,4').split(',').map(Number);
const CHUNK = Number(option('chunk', '8'));
const MODELS = {
  attention: { ...PRESETS.tiny, attentionOnly: true },
  gpt: { ...PRESETS.tiny },
};
const models = option('models', 'attention,gpt').split(',');
const only = option('only', undefined)?.split(',');
const dumpDir = option('dump', undefined);

/** Index of the first op (pseudo-node "input" = 0) where the two node lists differ, or -1. */
function firstOrderDifference(planned, measured) {
  const n = Math.max(planned.length, measured.length);
  for (let i = 0; i < n; i++) if (planned[i]?.node !== measured[i]?.node) return i;
  return -1;
}

function firstBytesDifference(planned, measured) {
  const n = Math.min(planned.length, measured.length);
  for (let i = 0; i < n; i++) {
    const p = planned[i];
    const m = measured[i];
    if (p.node !== m.node) return -1;
    if (p.allocBytes !== m.allocBytes || p.freedBytes !== m.freedBytes) return i;
  }
  return -1;
}

const runtime = new MeasureRuntime({ capture: fdWriteCapture(fs) });
const rows = [];
const started = Date.now();
for (const modelName of models) {
  const model = MODELS[modelName];
  for (const strategy of STRATEGY_NAMES) {
    for (const retention of RETENTION_NAMES) {
      if (only && !only.includes(`${strategy}/${retention}`)) continue;
      const g = buildTrainingGraph({
        model,
        strategy,
        retention,
        chunk: CHUNK,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
      });
      const plan = planGraph(g, { allocator: cacheMode === 'bucket' ? 'bucket' : 'lazy', floor: model });
      for (const batch of batches) {
        const label = `${modelName} ${strategy}/${retention} B=${batch}`;
        process.stderr.write(`${label} ... `);
        const planned = plan.at(batch);
        const row = { model: modelName, strategy, retention, batch, planned: planned.peakBytes };
        try {
          const spec = {
            model,
            strategy,
            retention,
            chunk: CHUNK,
            dtype: 'f32',
            optimizer: 'none',
            microBatches: 1,
          };
          const r = await runtime.measureStep(stepRequest(spec, batch, cacheMode).request);
          const order = firstOrderDifference(planned.ops, r.ops);
          const bytes = firstBytesDifference(planned.ops, r.ops);
          Object.assign(row, {
            measured: r.peakLiveBytes,
            diff: planned.peakBytes - r.peakLiveBytes,
            diffPct: (100 * (planned.peakBytes - r.peakLiveBytes)) / r.peakLiveBytes,
            plannedReserved: planned.reservedPeakBytes,
            measuredReserved: r.peakReservedBytes,
            attribution: r.attribution,
            unattributed: r.unattributedBytes,
            orderDiff:
              order < 0
                ? null
                : { at: order, planned: planned.ops[order]?.node, measured: r.ops[order]?.node },
            bytesDiff:
              bytes < 0
                ? null
                : {
                    at: bytes,
                    node: r.ops[bytes].node,
                    planned: [planned.ops[bytes].allocBytes, planned.ops[bytes].freedBytes],
                    measured: [r.ops[bytes].allocBytes, r.ops[bytes].freedBytes],
                  },
            notes: [...plan.liveness.schedule.notes, ...r.notes],
          });
          process.stderr.write(`${r.peakLiveBytes} measured, ${planned.peakBytes} planned\n`);
          if (dumpDir) {
            fs.mkdirSync(dumpDir, { recursive: true });
            const side = (o) => o && [o.node, o.allocBytes, o.freedBytes, o.liveBytesAfter];
            const ops = Array.from({ length: Math.max(planned.ops.length, r.ops.length) }, (_, i) => ({
              planned: side(planned.ops[i]),
              measured: side(r.ops[i]),
            }));
            const file = `${dumpDir}/${modelName}-${strategy}-${retention}-${batch}-${cacheMode}.json`;
            fs.writeFileSync(file, JSON.stringify({ row, liveAtPeak: planned.liveAtPeak, ops }, null, 1));
          }
        } catch (e) {
          row.error = e instanceof Error ? e.message : String(e);
          process.stderr.write(`error: ${row.error}\n`);
        }
        rows.push(row);
      }
    }
  }
}
runtime.releaseDevice();

console.log(
  `\nplanned vs measured peak live bytes (cache mode ${cacheMode}, ${(Date.now() - started) / 1000} s)\n`,
);
console.table(
  rows.map((r) => ({
    model: r.model,
    strategy: r.strategy,
    retention: r.retention,
    B: r.batch,
    planned: r.planned,
    measured: r.measured ?? r.error,
    'diff %': r.diffPct === undefined ? '' : r.diffPct.toFixed(2),
    'reserved planned': r.plannedReserved,
    'reserved measured': r.measuredReserved ?? '',
    'order differs at': r.orderDiff
      ? `${r.orderDiff.at}: ${r.orderDiff.planned} vs ${r.orderDiff.measured}`
      : '-',
    'bytes differ at': r.bytesDiff
      ? `${r.bytesDiff.node} ${r.bytesDiff.planned} vs ${r.bytesDiff.measured}`
      : '-',
  })),
);
const notes = [...new Set(rows.flatMap((r) => r.notes ?? []))];
if (notes.length) console.log(`notes:\n  ${notes.join('\n  ')}`);
const out = option('json', undefined);
if (out) fs.writeFileSync(out, JSON.stringify({ cacheMode, rows }, null, 1));
process.exit(rows.some((r) => r.error) ? 1 : 0);
