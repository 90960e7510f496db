/**
 * The page's speed, in headless Chromium against the production build (vite build + vite preview):
 * - the JavaScript the page loads before its first planned chart (page and workers), in KB gzipped,
 *   and whether onnxruntime-web or its wasm loaded before Measure (it must not);
 * - the time from navigation to the first complete planned chart (target <= 2 s);
 * - seed preset, all 12 strategy x retention combinations selected: the latency from a slider
 *   input event to the chart drawn for the new value, for the batch slider (target <= 16 ms) and
 *   for the other model sliders (target <= 100 ms), one slider step at a time with a pause between
 *   (the page plans every slider's neighbouring values ahead while idle, so these are mostly cache
 *   hits), for jumps to values far from the thumb (a click on the track: planned from scratch), and
 *   at the end of 60 Hz drags (nothing planned ahead can keep up with those);
 * - the main thread's long tasks while the sliders move (target: none over 50 ms), during single
 *   moves and during drags (an input event every 16 ms, as a pointer sends them, whatever the page
 *   is doing), with the time from a drag's last event to the chart of its last value.
 * - the main thread's long tasks in the moments after each load's first chart (while the step, the
 *   comparison and the fit advisor draw their first values), which a slider moved at once meets.
 *
 * The page marks `headroom:drawn` (performance.mark, detail { configKey, batch, curves }) each time
 * its chart shows every selected curve of the current configuration (src/ui/App.tsx).
 * Figures are reported, never asserted. Writes bench-results/page.json.   npm run bench -- page
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { BROWSER_ARGS, chromiumExecutable } from '../e2e/browser';
import { RETENTION_NAMES, STRATEGY_NAMES } from '../src/engine/vocabulary';

const PORT = 4179;
const BASE = `http://localhost:${PORT}`;
const ALL_COMBOS = STRATEGY_NAMES.flatMap((s) => RETENTION_NAMES.map((r) => `${s}.${r}`)).join(',');
/** Input events per simulated drag, and the gap between them (a 60 Hz pointer). */
const DRAG_STEPS = 12;
const DRAG_GAP_MS = 16;
/**
 * Pause after each single move: the step and comparison redraw (they wait 200 ms for the controls to
 * settle) and the plan workers plan the slider's next values ahead (300 ms after the curves arrive).
 */
const SETTLE_MS = 1000;

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};
const stats = (xs) => ({
  n: xs.length,
  medianMs: round(quantile(xs, 0.5)),
  p90Ms: round(quantile(xs, 0.9)),
  maxMs: round(Math.max(...xs)),
});

function build() {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

async function startPreview() {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${BASE}`);
}

/** Records long tasks and the page's `headroom:drawn` marks from the start of the document. */
function instrument() {
  const w = window;
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Moves a slider through `values`, one input event at a time: after each, waits for the chart drawn
 * for that value (its latency), then for the page to settle (the step and comparison redraw a moment
 * after the controls stop) before the next move.
 */
async function moves(page, testId, values, configKeyChanges) {
  return page.evaluate(
    async ({ testId, values, configKeyChanges, settle }) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      if (!el) throw new Error(`no slider ${testId}`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const latencies = [];
      const lastDrawn = () => performance.getEntriesByName('headroom:drawn').at(-1);
      for (const v of values) {
        const before = lastDrawn();
        const t0 = performance.now();
        setter.call(el, String(v));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        // Wait for a mark after t0 (a new configuration's, when it changes), then one frame for the paint.
        const drawn = await new Promise((resolve) => {
          const poll = () => {
            const m = lastDrawn();
            const fresh = m && m !== before && m.startTime >= t0;
            const keyMatches = !configKeyChanges || (m && m.detail.configKey !== before?.detail?.configKey);
            if (fresh && keyMatches) requestAnimationFrame(() => resolve(performance.now()));
            else if (performance.now() - t0 > 10_000) resolve(null);
            else setTimeout(poll, 0);
          };
          poll();
        });
        latencies.push(drawn === null ? null : drawn - t0);
        await new Promise((r) => setTimeout(r, settle));
      }
      return latencies;
    },
    { testId, values, configKeyChanges, settle: SETTLE_MS },
  );
}

/**
 * A pointer drag: one input event every DRAG_GAP_MS whatever the page is doing, through `values`.
 * Returns the time from the last event to the chart drawn for the last value, and the long tasks
 * from the first event until then.
 */
async function drag(page, testId, values) {
  return page.evaluate(
    async ({ testId, values, gap }) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const start = performance.now();
      const tasksBefore = window.__longTasks.length;
      let last = start;
      for (const v of values) {
        last = performance.now();
        setter.call(el, String(v));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, gap));
      }
      const key = () => performance.getEntriesByName('headroom:drawn').at(-1);
      await new Promise((resolve) => {
        const poll = () => {
          const m = key();
          if ((m && m.startTime >= last) || performance.now() - last > 10_000) resolve();
          else setTimeout(poll, 5);
        };
        poll();
      });
      const end = performance.now();
      const tasks = window.__longTasks.slice(tasksBefore).filter((t) => t.start >= start && t.start <= end);
      return { events: values.length, lastEventToChartMs: end - last, longTasks: tasks.map((t) => t.ms) };
    },
    { testId, values, gap: DRAG_GAP_MS },
  );
}

/**
 * The renderer's main-thread CPU time in a Chromium trace (`thread duration` of its top-level tasks):
 * unlike wall-clock figures, it barely moves when other jobs load the machine. Returns the total and
 * the tasks that used over 50 ms of CPU.
 */
function mainThreadCpu(traceBuffer) {
  const parsed = JSON.parse(traceBuffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter(
    (e) => e.ph === 'X' && e.name === 'RunTask' && e.tdur !== undefined && main.has(`${e.pid}:${e.tid}`),
  );
  const long = tasks.filter((e) => e.tdur > 50_000);
  const inputs = events
    .filter(
      (e) => e.name === 'EventDispatch' && /^(input|keydown|pointerdown)$/.test(e.args?.data?.type ?? ''),
    )
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  return {
    cpuMs: tasks.reduce((n, e) => n + e.tdur, 0) / 1000,
    over50ms: long.map((e) => e.tdur / 1000),
    longTasks: long.map((task) => ({
      cpuMs: round(task.tdur / 1000),
      // Within ~150 ms of the input: the chart's redraw; 200 ms and later: the step's, the comparison's.
      sinceInputMs: round((task.ts - (inputs.findLast((t) => t <= task.ts) ?? NaN)) / 1000),
      parts: partsOf(events, task),
    })),
  };
}

/** What a long task spent its wall-clock time on: the trace's events inside it, by name (they nest). */
const PARTS =
  /^(FunctionCall|TimerFire|EventDispatch|RunMicrotasks|UpdateLayoutTree|Layout|PrePaint|Paint|MajorGC|MinorGC|V8\.GC_.*|ParseHTML|HitTest)$/;
function partsOf(events, task) {
  const parts = {};
  for (const e of events) {
    if (e.ph !== 'X' || e.pid !== task.pid || e.tid !== task.tid || e === task) continue;
    if (e.ts < task.ts || e.ts + (e.dur ?? 0) > task.ts + task.dur || !PARTS.test(e.name)) continue;
    const fn = e.name === 'FunctionCall' ? e.args?.data?.functionName : undefined;
    const key = fn ? `FunctionCall ${fn}` : e.name;
    parts[key] = round((parts[key] ?? 0) + e.dur / 1000);
  }
  return parts;
}

/**
 * The main thread's long tasks from the first chart of the page's load until `waitedMs` after it
 * (what a person moving a slider right away could meet: the other sections drawing their first
 * value, chunks loading).
 */
async function longTasksAfterFirstChart(page, waitedMs) {
  const tasks = await page.evaluate(() => {
    const first = performance.getEntriesByName('headroom:drawn')[0]?.startTime ?? Infinity;
    return window.__longTasks.filter((t) => t.start >= first).map((t) => t.ms);
  });
  return { waitedMs, longTasks: tasks.map((ms) => round(ms)) };
}

/** Runs `work` under a Chromium trace; its result and the main thread's CPU time meanwhile. */
async function traced(browser, page, work) {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  const result = await work();
  return { result, cpu: mainThreadCpu(await browser.stopTracing()) };
}

const cpuPerMove = (cpu, moves) => ({
  cpuMsPerMove: round(cpu.cpuMs / moves),
  tasksOver50msCpu: cpu.over50ms.length,
  longestTaskCpuMs: round(Math.max(0, ...cpu.over50ms)),
  longTasksCpu: cpu.longTasks,
});

/** Latency stats per slider, of the moves that drew a chart. */
const perSlider = (bySlider) =>
  Object.fromEntries(Object.entries(bySlider).map(([k, v]) => [k, stats(v.filter((x) => x !== null))]));

const seq = (from, step, n) => Array.from({ length: n }, (_, i) => from + step * (i + 1));

async function main() {
  build();
  const server = await startPreview();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: BROWSER_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const scripts = [];
    page.on('response', async (res) => {
      const at = Date.now();
      const url = res.url();
      if (!/\.(m?js|wasm)(\?|$)/.test(url)) return;
      const body = await res.body().catch(() => Buffer.alloc(0));
      scripts.push({ url: url.replace(BASE, ''), bytes: body.length, gzip: gzipSync(body).length, at });
    });
    await page.addInitScript(instrument);
    const url = `${BASE}/?preset=seed&budget=6GB&combos=${ALL_COMBOS}`;
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('headroom:drawn').length > 0, null, {
      timeout: 60_000,
    });
    const [firstChartMs, timeOrigin] = await page.evaluate(() => [
      performance.getEntriesByName('headroom:drawn')[0].startTime,
      performance.timeOrigin,
    ]);
    const wallFirstChartMs = Date.now() - t0;
    await page.waitForTimeout(500);
    const afterLoad = [await longTasksAfterFirstChart(page, 500)];
    // Scripts whose response arrived before the first chart was drawn, each file once (the plan
    // workers share theirs); what loaded after it, before anything was measured (the measuring
    // worker: onnxruntime-web itself loads only when Measure is pressed).
    const once = (list) => [...new Map(list.map((s) => [s.url, s])).values()];
    const beforeChart = once(scripts.filter((s) => s.at <= timeOrigin + firstChartMs));
    const later = once(scripts.filter((s) => s.at > timeOrigin + firstChartMs));
    const load = {
      firstChartMs: round(firstChartMs),
      wallFirstChartMs,
      targetFirstChartMs: 2000,
      scriptsBeforeFirstChart: beforeChart.map((s) => ({ url: s.url, kbGzip: round(s.gzip / 1024) })),
      kbGzipBeforeFirstChart: round(beforeChart.reduce((n, s) => n + s.gzip, 0) / 1024),
      scriptsLoadedAfterFirstChart: later.map((s) => ({ url: s.url, kbGzip: round(s.gzip / 1024) })),
      onnxruntimeLoadedBeforeMeasure: scripts.some((s) => /ort|onnxruntime/.test(s.url)),
    };

    const longTasksBefore = await page.evaluate(() => window.__longTasks.length);
    const loadBefore = (await import('node:os')).loadavg()[0];
    const batchRun = await traced(browser, page, () =>
      // 44 to 88 from the seed's 64: past 64, a power of 2 (the chart's reach grows there).
      moves(page, 'slider-batch', seq(40, 4, DRAG_STEPS), false),
    );
    const batch = batchRun.result;
    const sliders = {};
    // One slider step at a time (an arrow key, a click next to the thumb), as a person tries values.
    const moveValues = {
      'slider-seq': seq(256, 1, DRAG_STEPS),
      'slider-embd': seq(384, 6, DRAG_STEPS), // the embedding slider steps by the heads (6)
      'slider-layers': seq(6, 1, 6),
      // The heads slider moves over the head counts that divide C (positions; 6 heads is position 4).
      'slider-heads': seq(4, 1, 4),
      'slider-mlpRatio': seq(4, 1, 4),
      'slider-vocab': seq(65, 1, DRAG_STEPS),
    };
    const modelRun = await traced(browser, page, async () => {
      for (const [id, values] of Object.entries(moveValues))
        sliders[id] = await moves(page, id, values, true);
    });
    const longTasks = await page.evaluate((skip) => window.__longTasks.slice(skip), longTasksBefore);
    /** The seed preset again, drawn and settled (C 384, H 6: the embd slider steps by 6). */
    const reopen = async () => {
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('headroom:drawn').length > 0);
      await page.waitForTimeout(SETTLE_MS);
      afterLoad.push(await longTasksAfterFirstChart(page, SETTLE_MS));
    };
    // Drags start from the seed preset again.
    await reopen();
    const drags = {
      'slider-batch': await drag(page, 'slider-batch', seq(20, 2, 40)),
      'slider-seq': await drag(page, 'slider-seq', seq(256, -4, 40)),
      'slider-embd': await drag(page, 'slider-embd', seq(384, 6, 40)),
    };
    // Jumps, from the seed preset again: each value far from the last, so none was planned ahead.
    await reopen();
    const jumpValues = {
      'slider-seq': [200, 320, 160],
      'slider-embd': [300, 480, 240], // multiples of the 6 heads
      'slider-layers': [10, 3, 8],
      'slider-vocab': [100, 40, 80],
    };
    const jumps = {};
    const tasksBeforeJumps = await page.evaluate(() => window.__longTasks.length);
    for (const [id, values] of Object.entries(jumpValues)) jumps[id] = await moves(page, id, values, true);
    const jumped = Object.values(jumps).flat();
    const jumpTasks = await page.evaluate((skip) => window.__longTasks.slice(skip), tasksBeforeJumps);
    const other = Object.values(sliders).flat();
    const missed = [...batch, ...other, ...jumped].filter((x) => x === null).length;
    const result = {
      bench: 'page',
      what: 'built page in headless Chromium: load, first planned chart, slider latency with 12 combinations of the seed preset',
      machine: {
        cores: (await import('node:os')).cpus().length,
        loadAverage1mBeforeMoves: round(loadBefore, 2),
        loadAverage1mAfterMoves: round((await import('node:os')).loadavg()[0], 2),
      },
      load,
      // The first load (500 ms after its first chart, before the batch moves) and the two reopened
      // before the drags and the jumps (SETTLE_MS after theirs): long tasks a slider moved right away
      // would wait behind.
      afterFirstChart: {
        loads: afterLoad,
        longTasksOver50ms: afterLoad.flatMap((l) => l.longTasks).filter((ms) => ms > 50).length,
        longestTaskMs: Math.max(0, ...afterLoad.flatMap((l) => l.longTasks)),
        targetMaxMs: 50,
      },
      sliders: {
        batch: {
          ...stats(batch.filter((x) => x !== null)),
          targetMs: 16,
          ...cpuPerMove(batchRun.cpu, batch.length),
        },
        model: {
          ...stats(other.filter((x) => x !== null)),
          targetMs: 100,
          ...cpuPerMove(modelRun.cpu, other.length),
        },
        perSlider: perSlider(sliders),
        eventsWithoutDrawnChart: missed,
      },
      jumps: {
        ...stats(jumped.filter((x) => x !== null)),
        targetMs: 100,
        perSlider: perSlider(jumps),
        longTasksOver50ms: jumpTasks.filter((t) => t.ms > 50).length,
        longestTaskMs: round(Math.max(0, ...jumpTasks.map((t) => t.ms))),
      },
      longTasksDuringSingleMoves: {
        count: longTasks.length,
        over50ms: longTasks.filter((t) => t.ms > 50).length,
        maxMs: round(Math.max(0, ...longTasks.map((t) => t.ms))),
        targetMaxMs: 50,
      },
      drags: Object.fromEntries(
        Object.entries(drags).map(([k, d]) => [
          k,
          {
            events: d.events,
            eventGapMs: DRAG_GAP_MS,
            lastEventToChartMs: round(d.lastEventToChartMs),
            longTasks: d.longTasks.length,
            longTasksOver50ms: d.longTasks.filter((ms) => ms > 50).length,
            longestTaskMs: round(Math.max(0, ...d.longTasks)),
          },
        ]),
      ),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/page.json', JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid);
    } catch {
      server.kill();
    }
  }
}

await main();
