/**
 * (Plain JS run through tsx, like scripts/*.mjs.) The planner's speed: for the `seed` preset,
 * every strategy x retention at every batch 1..1024, the plan summary (peak, node at the peak,
 * floor, bytes per category and per scope at the peak). Building the graphs is not timed;
 * schedule + liveness (once per graph) and the 12 x 1024 evaluations are. The same sweep is timed,
 * in the same run, for today's step (f32, no optimizer) and for a training step with `adamw` and
 * `mixed` precision; `trainingRatio` is the second's median time over the first's. The training
 * step was asked to plan within 1.5x of the step's sweep as the planner did it then (main at
 * ISSUE_BASELINE): that planner's sweep is timed in the same run too, from a `git archive` of that
 * commit into a temporary folder (`vsIssueBaseline`; null, with the reason, without the history).
 * Writes bench-results/plan.json.   npm run bench
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTrainingGraph } from '../src/engine/models/build';
import { PRESETS } from '../src/engine/models/spec';
import { DEFAULT_CHUNK, RETENTION_NAMES, STRATEGY_NAMES } from '../src/engine/vocabulary';
import { planGraph, withAllocator } from '../src/engine/plan/plan';

const MAX_BATCH = 1024;
const RUNS = 9;
/** Passes before the median's: the first of a sweep pays for compiling its code and growing the heap. */
const WARMUP = 2;
const model = PRESETS.seed;
const combos = STRATEGY_NAMES.flatMap((strategy) =>
  RETENTION_NAMES.map((retention) => ({ strategy, retention })),
);

/** main when the whole training step was asked for (the optimizer, mixed precision: the planner before them). */
const ISSUE_BASELINE = '3664bad6952e2233a35e8b1cae24ba515b658dbc';

/** That commit's engine, extracted from git beside this checkout's node_modules, or why not. */
async function baselineEngine() {
  const archive = spawnSync('git', ['archive', ISSUE_BASELINE, 'src/engine'], { maxBuffer: 1 << 28 });
  if (archive.status !== 0)
    return { error: `git archive ${ISSUE_BASELINE}: ${String(archive.stderr).trim()}` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-plan-baseline-'));
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (tar.status !== 0) return { error: `tar: ${String(tar.stderr).trim()}` };
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  const engine = path.join(dir, 'src/engine');
  const { buildTrainingGraph: build } = await import(path.join(engine, 'models/build.ts'));
  const { PRESETS: presets } = await import(path.join(engine, 'models/spec.ts'));
  const { planGraph: plan } = await import(path.join(engine, 'plan/plan.ts'));
  const seed = presets.seed;
  return {
    graphs: combos.map((c) => build({ model: seed, ...c, chunk: DEFAULT_CHUNK, dtype: 'f32' })),
    planGraph: plan,
    model: seed,
  };
}
const baseline = await baselineEngine();

const STEP = { dtype: 'f32', optimizer: 'none', microBatches: 1 };
const TRAINING = { dtype: 'mixed', optimizer: 'adamw', microBatches: 1 };
const t0 = performance.now();
const graphs = combos.map((c) => buildTrainingGraph({ model, ...c, chunk: DEFAULT_CHUNK, ...STEP }));
const buildMs = performance.now() - t0;
const trainingGraphs = combos.map((c) =>
  buildTrainingGraph({ model, ...c, chunk: DEFAULT_CHUNK, ...TRAINING }),
);
const floorOf = { ...model, dtype: 'f16' };

/**
 * One full pass: liveness per graph, then every batch under `allocator`; returns timings (and the
 * plans with `keep`: the timed passes drop theirs, so that no pass pays the collector for the
 * plans of the passes before it).
 */
function pass(allocator, of = graphs, floor = model, keep = false, plan = planGraph) {
  const t1 = performance.now();
  const plans = of.map((g) => plan(g, { allocator, floor }));
  const t2 = performance.now();
  let checksum = 0;
  for (const plan of plans) {
    for (let b = 1; b <= MAX_BATCH; b++) {
      const s = plan.summary(b);
      checksum += s.peakBytes + (s.floorBytes ?? 0) + s.byCategory.activation + s.byScope.attention;
    }
  }
  const t3 = performance.now();
  return { livenessMs: t2 - t1, evaluateMs: t3 - t2, totalMs: t3 - t1, checksum, plans: keep ? plans : null };
}

const results = {};
const training = {};
const trainingRatio = {};
const issueBaseline = {};
const vsIssueBaseline = {};
for (const allocator of ['lazy', 'bucket']) {
  // Interleaved, so that every sweep sees the same machine load.
  const runs = [];
  const trainingRuns = [];
  const baselineRuns = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(pass(allocator));
    trainingRuns.push(pass(allocator, trainingGraphs, floorOf));
    if (!baseline.error)
      baselineRuns.push(pass(allocator, baseline.graphs, baseline.model, false, baseline.planGraph));
  }
  results[allocator] = summarise(runs);
  training[allocator] = summarise(trainingRuns);
  trainingRatio[allocator] = round(training[allocator].median.totalMs / results[allocator].median.totalMs);
  if (!baseline.error) {
    issueBaseline[allocator] = summarise(baselineRuns);
    vsIssueBaseline[allocator] = round(
      training[allocator].median.totalMs / issueBaseline[allocator].median.totalMs,
    );
  }
}
function summarise(runs) {
  const timed = runs.slice(WARMUP).sort((a, b) => a.totalMs - b.totalMs);
  return { firstRun: pick(runs[0]), median: pick(timed[Math.floor(timed.length / 2)]), best: pick(timed[0]) };
}
function pick(r) {
  return { livenessMs: round(r.livenessMs), evaluateMs: round(r.evaluateMs), totalMs: round(r.totalMs) };
}
function round(x) {
  return Math.round(x * 100) / 100;
}

// Per graph: size and how many steps can hold the peak (what an evaluation iterates).
const lazyPlans = pass('lazy', graphs, model, true).plans;
const perGraph = combos.map((c, i) => {
  const plan = lazyPlans[i];
  return {
    ...c,
    nodes: graphs[i].nodes.length,
    steps: plan.liveness.steps.length,
    buffers: plan.liveness.buffers.length,
    candidateStepsLazy: plan.candidateSteps.length,
    candidateStepsBucket: withAllocator(plan, 'bucket').candidateSteps.length,
    peakAt1024MiB: round(plan.peakBytes(1024) / 2 ** 20),
  };
});

const report = {
  bench: 'plan',
  preset: 'seed',
  model,
  combos: combos.length,
  batches: `1..${MAX_BATCH}`,
  evaluated:
    'summary(batch): peak bytes, node at the peak, floor, bytes per category and per scope at the peak',
  timed: 'planGraph (ORT order, transpose merges, liveness) for every graph + 12 x 1024 summaries',
  notTimed: `building the ${combos.length} graphs (${round(buildMs)} ms)`,
  cached:
    'per graph: schedule and liveness; per graph and allocator (first summary): size classes and the steps that can hold the peak; per peak step: the live buffers',
  runs: RUNS,
  warmupRuns: WARMUP,
  results,
  training: { step: TRAINING, results: training },
  trainingRatio,
  issueBaseline: baseline.error
    ? { commit: ISSUE_BASELINE, error: baseline.error }
    : { commit: ISSUE_BASELINE, step: STEP, results: issueBaseline },
  vsIssueBaseline: baseline.error ? null : vsIssueBaseline,
  perGraph,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  createdAt: new Date().toISOString(),
};
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/plan.json', JSON.stringify(report, null, 2) + '\n');
console.log(
  JSON.stringify(
    {
      results,
      training,
      trainingRatio,
      issueBaseline: baseline.error ?? issueBaseline,
      vsIssueBaseline: baseline.error ? null : vsIssueBaseline,
      perGraph: perGraph.map(
        (p) => `${p.strategy}/${p.retention}: ${p.steps} steps, ${p.candidateStepsLazy} candidates`,
      ),
    },
    null,
    2,
  ),
);
