/**
 * (Plain JS run through tsx.) The page's planner, warm, in one process: the `seed` preset's 12
 * strategy × retention curves after each move of a model slider (seq dragged 256 → 224 in steps
 * of 8, then embd, layers and heads), as one plan worker's ComboPlanner answers them: time per
 * full 12-curve update and per combination, where each plan came from (cache, shared graph,
 * build), and the time to re-answer all 12 when only the batch or budget moves (every plan
 * cached). Also times the same 12 plans without the planner (build + plan each, no reuse).
 * Writes bench-results/explore.json.   npm run bench -- explore
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const { ComboPlanner } = await import('../src/engine/explore/planner');
const { hashKey, routeKey } = await import('../src/engine/explore/key');
const { buildTrainingGraph } = await import('../src/engine/models/build');
const { planGraph } = await import('../src/engine/plan/plan');
const { PRESETS } = await import('../src/engine/models/spec');
const { RETENTION_NAMES, STRATEGY_NAMES, WEBGPU_DEFAULT_LIMITS } = await import('../src/engine/vocabulary');

const GiB = 2 ** 30;
const COMBOS = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);
const key = (c) => `${c.strategy}/${c.retention}`;
const round = (x) => Math.round(x * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const seed = PRESETS.seed;
/** A slider drag: each entry is the model after one move. */
const MOVES = [
  ...[248, 240, 232, 224].map((seq) => ({ label: `seq ${seq}`, model: { ...seed, seq } })),
  ...[390, 396, 402].map((embd) => ({ label: `embd ${embd}`, model: { ...seed, seq: 224, embd } })),
  { label: 'layers 7', model: { ...seed, seq: 224, embd: 402, layers: 7 } },
  { label: 'heads 3', model: { ...seed, seq: 224, embd: 402, layers: 7, heads: 3 } },
];
const config = (model) => ({
  model,
  chunk: 64,
  dtype: 'f32',
  allocator: 'lazy',
  optimizer: 'none',
  microBatches: 1,
  loss: 'standard',
  lossChunk: 128,
});
const request = (model, combo, over = {}) => ({
  config: config(model),
  combo,
  budgetBytes: 4 * GiB,
  limits: WEBGPU_DEFAULT_LIMITS,
  minBatch: 64,
  reserved: false,
  ...over,
});

/** All 12 curves of `model`: total ms, ms per combination, and where each plan came from. */
function update(planner, model, over) {
  const perCombo = {};
  const sources = {};
  const t0 = performance.now();
  for (const combo of COMBOS) {
    const t = performance.now();
    const { source } = planner.plan(config(model), combo);
    planner.curve(request(model, combo, over));
    perCombo[key(combo)] = round(performance.now() - t);
    sources[source] = (sources[source] ?? 0) + 1;
  }
  return { totalMs: round(performance.now() - t0), perCombo, sources };
}

/** The same 12 plans without the planner: build and plan each, no reuse. */
function withoutPlanner(model) {
  const t0 = performance.now();
  for (const combo of COMBOS) {
    const graph = buildTrainingGraph({
      model,
      ...combo,
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    });
    planGraph(graph, { allocator: 'lazy', floor: model }).peakBytes(8);
  }
  return performance.now() - t0;
}

// Warm up the JIT on other models.
const warm = new ComboPlanner();
for (const seq of [128, 192, 256]) update(warm, { ...seed, seq });
for (const seq of [128, 192]) withoutPlanner({ ...seed, seq });

// Three rounds of the same drag, each with a fresh planner (every move a cache miss); per move,
// the median round (this machine is shared: single timings are noisy).
const ROUNDS = 3;
let planner;
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  planner = new ComboPlanner();
  update(planner, seed);
  rounds.push(MOVES.map(({ label, model }) => ({ label, ...update(planner, model) })));
}
const moves = MOVES.map((_, i) => {
  const runs = rounds.map((round) => round[i]).sort((a, b) => a.totalMs - b.totalMs);
  return { ...runs[Math.floor(ROUNDS / 2)], roundsMs: rounds.map((round) => round[i].totalMs) };
});
const first = update(new ComboPlanner(), { ...seed, seq: 200 });
const last = MOVES.at(-1).model;
const batchOnly = [64, 128, 256, 512, 1024].map((minBatch, i) =>
  update(planner, last, { minBatch, budgetBytes: (2 + i) * GiB }),
);
// With reserved bytes: the first time each plan works out its allocation planner's reuse chains.
const batchOnlyReserved = [2, 3, 4].map((i) =>
  update(planner, last, { reserved: true, budgetBytes: i * GiB }),
);
const noPlanner = [256, 248, 240, 232, 224].map((seq) => withoutPlanner({ ...seed, seq }));

/**
 * A pool of `size` workers routes each combination by its key (src/worker/planPool.ts) and runs
 * them side by side: the update's wall time is about the busiest worker's share.
 */
function poolWallMs(move, model, size) {
  const busy = new Array(size).fill(0);
  for (const combo of COMBOS)
    busy[hashKey(routeKey(config(model), combo)) % size] += move.perCombo[key(combo)];
  return round(Math.max(...busy));
}
const pool2 = moves.map((m, i) => poolWallMs(m, MOVES[i].model, 2));

const totals = moves.map((m) => m.totalMs);
const report = {
  bench: 'explore',
  what: 'seed preset, 12 combos: ComboPlanner.plan + curve per combo after each slider move (one process, warm)',
  firstUpdateFreshPlanner: first,
  moves,
  modelMoveMs: { median: median(totals), max: Math.max(...totals) },
  modelMovePool2WallMs: {
    median: median(pool2),
    max: Math.max(...pool2),
    what: 'busiest of 2 workers, routed by key',
  },
  batchOnlyMs: { median: median(batchOnly.map((b) => b.totalMs)), sources: batchOnly[0].sources },
  batchOnlyWithReservedMs: {
    first: batchOnlyReserved[0].totalMs,
    then: median(batchOnlyReserved.slice(1).map((b) => b.totalMs)),
  },
  withoutPlannerMs: {
    median: round(median(noPlanner)),
    what: 'buildTrainingGraph + planGraph per combo, no reuse',
  },
  stats: planner.stats,
  target: '12-combo model move <= 100 ms CPU (a pool of 2 workers halves the wall time)',
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  createdAt: new Date().toISOString(),
};
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/explore.json', JSON.stringify(report, null, 2) + '\n');
for (const m of moves)
  console.log(`${m.label.padEnd(10)} ${String(m.totalMs).padStart(6)} ms  ${JSON.stringify(m.sources)}`);
console.log(
  JSON.stringify(
    {
      modelMoveMs: report.modelMoveMs,
      modelMovePool2WallMs: report.modelMovePool2WallMs,
      batchOnlyMs: report.batchOnlyMs,
      batchOnlyWithReservedMs: report.batchOnlyWithReservedMs,
      withoutPlannerMs: report.withoutPlannerMs,
      perComboLastMove: moves.at(-1).perCombo,
    },
    null,
    2,
  ),
);
