/**
 * The page's planning, walked in Chromium on one page (no GPU work: the plan workers answer): the
 * seed preset's max batch on 6 GB per combination, which fit batch 64, the batch-64 step's tensors
 * at the peak and its Transposes, copy/tape compared with view/minimal, sharing the view by its
 * address, the batch slider from the keyboard, errors beside their controls, and the theme.
 * Every number is checked against the engine's own (ComboPlanner, as the plan workers run it).
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Combo, CurveRequest } from '../src/engine/explore/types';
import { formatCount } from '../src/engine/report/bytes';
import { WEBGPU_DEFAULT_LIMITS } from '../src/engine/vocabulary';
import {
  adapterLimits,
  bytesOf,
  comboOf,
  comparePair,
  maxBatchRows,
  openPage,
  planConfig,
  plannedReady,
  planner,
  setNumber,
  stepShown,
  webGpuReady,
  type MaxBatchRow,
} from './page';

const SEED = planConfig('seed');
const BUDGET = 6e9;
const DEFAULT_COMBOS = ['copy/tape', 'view/minimal', 'fused/minimal'];
/** Any limits: the budget's answer does not depend on them. */
const DEFAULT_LIMITS = {
  maxBufferSize: WEBGPU_DEFAULT_LIMITS.maxBufferSize,
  maxStorageBufferBindingSize: WEBGPU_DEFAULT_LIMITS.maxStorageBufferBindingSize,
};

/** The engine's curve of `combo` for the seed preset, as the page asks for it. */
function curveOf(combo: Combo, limits: CurveRequest['limits'], minBatch = 64) {
  return planner.curve({ config: SEED, combo, budgetBytes: BUDGET, limits, minBatch, reserved: false });
}

test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;

async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
}

test.beforeAll(async ({ browser }) => {
  context = await newContext(browser);
  page = await context.newPage();
  await openPage(page);
  // The curves are planned against the adapter's buffer limits once the WebGPU probe answers.
  await webGpuReady(page);
  await plannedReady(page);
});

test.afterAll(async () => {
  await context?.close();
});

test('opens on the seed preset, 6 GB and three combinations, each max batch the engine’s', async () => {
  await expect(page.getByTestId('preset')).toHaveValue('seed');
  await expect(page.getByTestId('budget')).toHaveValue('6GB');
  await expect(page.getByTestId('input-batch')).toHaveValue('64');
  for (const key of DEFAULT_COMBOS)
    await expect(page.getByTestId(`combo-${key.replace('/', '-')}`)).toBeChecked();
  await expect(page.getByTestId('combo-copy-minimal')).not.toBeChecked();

  const limits = await adapterLimits(page);
  const expected = DEFAULT_COMBOS.map((key): Omit<MaxBatchRow, 'status'> => {
    const c = curveOf(comboOf(key), limits);
    return {
      combo: key,
      budgetMaxBatch: c.budgetMaxBatch,
      limitMaxBatch: c.limitMaxBatch,
      maxBatch: c.maxBatch,
      binds: c.binds,
    };
  });
  await expect.poll(async () => (await maxBatchRows(page)).map(({ status: _, ...r }) => r)).toEqual(expected);
  // The budget's answer does not depend on the buffer limits: the page says it first.
  const rows = page.getByTestId('max-batch-list').locator('li[data-combo]');
  for (const [i, e] of expected.entries())
    await expect(rows.nth(i).locator('.mb-budget')).toHaveText(
      new RegExp(`${e.combo}: batch ${e.budgetMaxBatch} on 6 GB`),
    );
  // The chart's hidden table carries the same numbers.
  const table = page.getByTestId('planned-chart-data').locator('tbody tr');
  await expect(table).toHaveCount(3);
  for (const [i, e] of expected.entries()) {
    await expect(table.nth(i)).toHaveAttribute('data-combo', e.combo);
    await expect(table.nth(i)).toHaveAttribute('data-max-batch', String(e.maxBatch));
    const planned = planner.step({ config: SEED, combo: comboOf(e.combo), batch: 64 }).peakBytes;
    await expect(table.nth(i)).toHaveAttribute('data-bytes', String(planned));
  }
});

test('copy/tape does not fit batch 64, and the sentence names the combinations that do', async () => {
  const limits = await adapterLimits(page);
  const fits = DEFAULT_COMBOS.filter((k) => curveOf(comboOf(k), limits).maxBatch >= 64);
  expect(fits).not.toContain('copy/tape');
  expect(fits.length).toBeGreaterThan(0);
  const rows = page.getByTestId('max-batch-list').locator('li[data-combo]');
  for (const key of DEFAULT_COMBOS)
    await expect(rows.and(page.locator(`[data-combo="${key}"]`))).toHaveAttribute(
      'data-status',
      fits.includes(key) ? 'fits' : 'over-budget',
    );
  const sentence = page.getByTestId('max-batch-sentence');
  await expect(sentence).toContainText(/^At batch 64, copy\/tape needs [\d.]+ GiB \(over 6 GB/);
  for (const key of fits) await expect(sentence).toContainText(key);
  await expect(sentence).toContainText(/ fit\.$/);
});

test('the batch-64 step of copy/tape: the tensors at the peak, largest first, add up to the peak', async () => {
  await stepShown(page, 'copy/tape', 64);
  const detail = planner.step({ config: SEED, combo: comboOf('copy/tape'), batch: 64 });
  const peak = await bytesOf(page.getByTestId('step-peak'));
  expect(peak).toBe(detail.peakBytes);

  await page.getByTestId('tab-peak').click();
  const atPeak = page.getByTestId('at-peak');
  await expect(atPeak).toHaveAttribute('data-count', String(detail.atPeak.length));
  const showAll = atPeak.getByRole('button', { name: /^Show all/ });
  if (await showAll.isVisible()) await showAll.click();
  const rows = atPeak.locator('tbody tr');
  await expect(rows).toHaveCount(detail.atPeak.length);
  const bytes = await rows.evaluateAll((trs) =>
    trs.map((tr) => Number((tr as HTMLElement).dataset['bytes'])),
  );
  expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
  expect(bytes.reduce((a, b) => a + b, 0)).toBe(peak);
  await expect(atPeak.locator('tfoot .totals')).toContainText('= the peak');
});

test('the batch-64 step’s timeline: hovering its peak names the node and the bytes the engine plans there', async () => {
  await page.getByTestId('tab-timeline').click();
  const timeline = page.getByTestId('step-timeline');
  const detail = planner.step({ config: SEED, combo: comboOf('copy/tape'), batch: 64 });
  await expect(timeline).toHaveAttribute('data-peak-step', String(detail.peakStep));
  // The pointer goes where the chart is on screen.
  await timeline.locator('svg.st-svg').scrollIntoViewIfNeeded();
  // The peak's dashed line: hovering it shows the tooltip of the node drawn there (the peak's, or a
  // neighbour's where the pointer's whole pixel falls nearer to it: about a pixel a step here),
  // with the bytes the engine plans for that node.
  const line = await timeline.locator('.st-peak line').boundingBox();
  expect(line).not.toBeNull();
  await page.mouse.move(line!.x + line!.width / 2, line!.y + line!.height / 2);
  const tip = page.getByTestId('st-tooltip');
  await expect(tip).toBeVisible();
  const node = await tip.locator('strong').textContent();
  const row = detail.timeline.find((r) => r.node === node);
  expect(row, `${node} is a node of the step`).toBeDefined();
  expect(Math.abs(row!.step - detail.peakStep)).toBeLessThanOrEqual(1);
  await expect(tip).toContainText(`${formatCount(row!.liveBytes)} B`);
  // Beside the plot: no tooltip.
  await page.mouse.move(line!.x, line!.y - 40);
  await expect(tip).toHaveCount(0);
  // Nothing on the page measures text in a span of its own (recharts did, for every label of the
  // timeline: a layout of the whole page each time).
  await expect(page.locator('#recharts_measurement_span')).toHaveCount(0);
});

test('the ops table: filtering Transpose totals what the engine’s Transposes allocate', async () => {
  const detail = planner.step({ config: SEED, combo: comboOf('copy/tape'), batch: 64 });
  const transposes = detail.timeline.filter((r) => r.opType === 'Transpose');
  expect(transposes.length).toBeGreaterThan(0);
  // The filter matches node, op and scope: here exactly the Transpose nodes.
  const matching = detail.timeline.filter((r) =>
    [r.node, r.opType, r.scope].some((f) => f.toLowerCase().includes('transpose')),
  );
  expect(matching).toEqual(transposes);

  await page.getByTestId('tab-ops').click();
  const ops = page.getByTestId('ops-table');
  await expect(ops).toHaveAttribute('data-row-count', String(detail.timeline.length));
  await page.getByTestId('ops-filter').fill('Transpose');
  await expect(ops).toHaveAttribute('data-row-count', String(transposes.length));
  const totals = ops.locator('tfoot tr.totals');
  await expect(totals).toHaveAttribute('data-count', String(transposes.length));
  await expect(totals).toHaveAttribute(
    'data-alloc-bytes',
    String(transposes.reduce((n, r) => n + r.allocBytes, 0)),
  );
  // Forward only: the filters combine.
  await page.getByTestId('ops-phase').selectOption('forward');
  const forward = transposes.filter((r) => r.phase === 'forward');
  await expect(ops).toHaveAttribute('data-row-count', String(forward.length));
  await page.getByTestId('ops-phase').selectOption('all');
  await page.getByTestId('ops-filter').fill('');
  await expect(ops).toHaveAttribute('data-row-count', String(detail.timeline.length));
});

test('compares copy/tape with view/minimal at batch 64', async () => {
  expect(await comparePair(page)).toEqual(['copy/tape@64', 'view/minimal@64']);
  const expected = planner.compare(
    { config: SEED, combo: comboOf('copy/tape'), batch: 64 },
    { config: SEED, combo: comboOf('view/minimal'), batch: 64 },
  );
  const summary = page.getByTestId('compare-summary');
  await expect(summary).toHaveText(
    /copy\/tape holds .* more than view\/minimal at the peak of batch 64; \d+ Transposes allocate/,
  );
  await expect(summary).toHaveText(expected.summary);
  await expect(page.getByTestId('compare')).toHaveAttribute('data-row-count', String(expected.rows.length));
});

test('the chart draws each combination as one path in its style; hovering shows exact bytes, a click selects', async () => {
  const chart = page.getByTestId('planned-chart');
  // The lines (views/PlannedLines.tsx): colour by strategy, dash by retention, through batch 64.
  const line = (combo: string) => chart.locator(`path.pc-line[data-series="${combo}"]`);
  await expect(line('copy/tape')).toHaveAttribute('stroke', 'var(--series-copy)');
  await expect(line('copy/tape')).toHaveAttribute('stroke-dasharray', '8 4');
  await expect(line('view/minimal')).toHaveAttribute('stroke', 'var(--series-view)');
  await expect(line('view/minimal')).not.toHaveAttribute('stroke-dasharray', /./);
  await expect(line('fused/minimal')).toHaveAttribute('stroke', 'var(--series-fused)');
  const batchLine = chart.locator('[data-testid="batch-line"][data-batch="64"] line');
  const x64 = Number(await batchLine.getAttribute('x1'));
  const xs = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
  for (const combo of DEFAULT_COMBOS) {
    const d = (await line(combo).getAttribute('d')) ?? '';
    expect(xs(d).some((x) => Math.abs(x - x64) < 0.02)).toBe(true);
  }

  // Hovering batch 64: the tooltip gives each curve's exact bytes, and a dot on each curve.
  await batchLine.scrollIntoViewIfNeeded();
  const box = await batchLine.boundingBox();
  if (!box) throw new Error('the batch line has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = chart.locator('.chart-tooltip');
  await expect(tooltip).toContainText('batch 64');
  for (const combo of DEFAULT_COMBOS) {
    const row = page.getByTestId('planned-chart-data').locator(`tr[data-combo="${combo}"]`);
    await expect(row).toHaveAttribute('data-exact', 'true');
    const bytes = Number(await row.getAttribute('data-bytes'));
    await expect(tooltip.locator('tr', { hasText: combo }).first()).toContainText(
      `${bytes.toLocaleString('en-US')} B`,
    );
  }
  const dot = (combo: string) => chart.locator(`.pc-hover-dots .chart-dot[data-series="${combo}"]`);
  await expect(chart.locator('.pc-hover-dots .chart-dot')).toHaveCount(DEFAULT_COMBOS.length);
  await dot('view/minimal').click();
  await stepShown(page, 'view/minimal', 64);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await dot('copy/tape').click();
  await stepShown(page, 'copy/tape', 64);
  // Escape dismisses the tooltip.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(tooltip).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tooltip).toBeHidden();
  // From the keyboard: with the focus on the chart, the arrow keys step the tooltip through the
  // drawn batches, from the slider's batch; Escape hides it.
  await page.mouse.move(0, 0);
  await chart.locator('.pc-frame').focus();
  await page.keyboard.press('ArrowRight');
  const shown = Number((await tooltip.locator('strong').textContent())?.replace('batch ', ''));
  expect(shown).toBeGreaterThan(64);
  await page.keyboard.press('ArrowLeft');
  await expect(tooltip.locator('strong')).toHaveText('batch 64');
  await expect(chart.locator('.pc-hover-dots .chart-dot')).toHaveCount(DEFAULT_COMBOS.length);
  await page.keyboard.press('Escape');
  await expect(tooltip).toBeHidden();
});

test('the batch slider moves from the keyboard, and the chart’s batch line follows', async () => {
  // The batch line (views/BatchMarks.tsx) names the batch it marks.
  const batchLine = (b: number) =>
    page.getByTestId('planned-chart').locator(`[data-testid="batch-line"][data-batch="${b}"] line`);
  await expect(batchLine(64)).toHaveCount(1);
  const x64 = Number(await batchLine(64).getAttribute('x1'));
  const copyLine = page.getByTestId('planned-chart').locator('path.pc-line[data-series="copy/tape"]');
  const lastX = async () =>
    Math.max(
      ...[...((await copyLine.getAttribute('d')) ?? '').matchAll(/[ML](-?[\d.]+),/g)].map((m) =>
        Number(m[1]),
      ),
    );
  const drawnKey = () =>
    page.evaluate(
      () => (performance.getEntriesByName('headroom:drawn').at(-1) as PerformanceMark).detail.configKey,
    );
  const keyAt64 = await drawnKey();
  // copy/tape does not fit 64: its line ends at the chart's reach, 64.
  expect(Math.abs((await lastX()) - x64)).toBeLessThan(0.02);

  await page.getByTestId('slider-batch').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('input-batch')).toHaveValue('65');
  await expect(batchLine(65)).toHaveCount(1);
  await expect(batchLine(64)).toHaveCount(0);
  await plannedReady(page);
  const x65 = Number(await batchLine(65).getAttribute('x1'));
  expect(x65).toBeGreaterThan(x64);
  // Past 64 the chart reaches 128 with the curves it has (planned over the slider's whole range):
  // copy/tape's line goes on past the batch line, and nothing new was asked of the plan workers.
  await expect.poll(lastX).toBeGreaterThan(x65);
  expect(await drawnKey()).toBe(keyAt64);
  await expect(page.getByTestId('planned-chart').locator('svg text', { hasText: /^batch 65$/ })).toHaveCount(
    1,
  );
  await expect(page.getByTestId('max-batch-sentence')).toContainText(/^At batch 65,/);
  // The step shown follows the batch once the slider settles.
  await stepShown(page, 'copy/tape', 65);

  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('input-batch')).toHaveValue('64');
  await expect(batchLine(64)).toHaveCount(1);
  await stepShown(page, 'copy/tape', 64);
});

test('a new configuration’s curves are painted a frame before the list under the chart is redrawn', async () => {
  // Frames counted by animation callbacks (each runs just before its frame's paint); the frame in
  // which the chart's lines and the list first change after the vocabulary does.
  await page.evaluate(() => {
    const w = window as unknown as { __frames: { now: number; chart?: number; list?: number } };
    const frames = (w.__frames = { now: 0 } as typeof w.__frames);
    const tick = () => {
      frames.now++;
      if (frames.list === undefined) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const watch = (selector: string, key: 'chart' | 'list') => {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`no ${selector}`);
      const seen = new MutationObserver(() => {
        frames[key] ??= frames.now;
        seen.disconnect();
      });
      seen.observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
    };
    watch('[data-testid="planned-chart"] .pc-lines', 'chart');
    watch('[data-testid="max-batch-list"] ul', 'list');
  });
  await setNumber(page, 'vocab', 50257);
  const frames = await page.waitForFunction(() => {
    const f = (window as unknown as { __frames: { chart?: number; list?: number } }).__frames;
    return f.chart !== undefined && f.list !== undefined ? f : null;
  });
  const { chart, list } = (await frames.jsonValue()) as { chart: number; list: number };
  expect(list).toBeGreaterThan(chart);
  await setNumber(page, 'vocab', 65);
  await plannedReady(page);
});

test('while the fit advisor plans a change, the sections below it stay where they are', async () => {
  await expect(page.getByTestId('fit-status')).toHaveText('');
  const seen = await page.evaluate(async () => {
    const below = document.querySelector('[data-testid="step-section"]');
    const slider = document.querySelector<HTMLInputElement>('[data-testid="slider-vocab"]');
    const status = document.querySelector('[data-testid="fit-status"]');
    if (!below || !slider || !status) throw new Error('no step section, vocabulary slider or fit status');
    const top = () => below.getBoundingClientRect().top + window.scrollY;
    const before = top();
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setValue?.call(slider, '100');
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    // Until the advisor says it plans (a frame at a time, for at most 5 s).
    for (let i = 0; i < 300 && !status.textContent; i++) await new Promise((r) => requestAnimationFrame(r));
    return { status: status.textContent, moved: top() - before };
  });
  expect(seen.status).toContain('Planning every setup');
  expect(seen.moved).toBe(0);
  await setNumber(page, 'vocab', 65);
  await plannedReady(page);
});

test('the address holds the view: a new page on it, and a reload, show the same', async ({ browser }) => {
  // A view away from the defaults: an 8 GB budget, view/minimal's step, and a picked pair.
  await page.getByTestId('budget').selectOption('8GB');
  await page.getByTestId('step-combo').selectOption('view/minimal');
  await page.getByTestId('compare-b-combo').selectOption('fused/minimal');
  await page.getByTestId('compare-b-batch').fill('32');
  await plannedReady(page);
  await stepShown(page, 'view/minimal', 64);
  await expect(page.getByTestId('compare-summary')).toContainText('fused/minimal');
  const rows = await maxBatchRows(page);
  const pair = await comparePair(page);
  expect(pair).toEqual(['copy/tape@64', 'fused/minimal@32']);

  // The address is written once the page has stayed unchanged a moment (PERSIST_DELAY_MS).
  await expect.poll(() => new URL(page.url()).searchParams.get('cmp')).toBe('copy.tape@64,fused.minimal@32');
  const url = new URL(page.url());
  expect(url.searchParams.get('budget')).toBe('8GB');
  expect(url.searchParams.get('preset')).toBe('seed');
  expect(url.searchParams.get('B')).toBe('64');
  expect(url.searchParams.get('combos')).toBe('copy.tape,view.minimal,fused.minimal');
  expect(url.searchParams.get('at')).toBe('view.minimal@64');
  expect(url.searchParams.get('cmp')).toBe('copy.tape@64,fused.minimal@32');

  // Copy link puts that address on the clipboard.
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toHaveText(/Link copied/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

  // Another browser context (no shared storage) opened on the address.
  const other = await newContext(browser);
  try {
    const second = await other.newPage();
    await openPage(second, url.search.slice(1));
    await webGpuReady(second);
    await plannedReady(second);
    await expect(second.getByTestId('budget')).toHaveValue('8GB');
    await expect.poll(() => maxBatchRows(second)).toEqual(rows);
    await stepShown(second, 'view/minimal', 64);
    expect(await comparePair(second)).toEqual(pair);
    await expect(second.getByTestId('compare-summary')).toHaveText(
      await page.getByTestId('compare-summary').innerText(),
    );
  } finally {
    await other.close();
  }

  // A reload keeps it, and so does the bare address (the state is stored too).
  for (const reopen of [() => page.reload(), () => page.goto('/')]) {
    await reopen();
    await webGpuReady(page);
    await plannedReady(page);
    await expect(page.getByTestId('budget')).toHaveValue('8GB');
    await expect.poll(() => maxBatchRows(page)).toEqual(rows);
    await stepShown(page, 'view/minimal', 64);
    expect(await comparePair(page)).toEqual(pair);
  }

  // Back to the defaults for the tests that follow.
  await page.getByTestId('budget').selectOption('6GB');
  await page.getByTestId('step-combo').selectOption('copy/tape');
  await page.getByTestId('compare-b-combo').selectOption('view/minimal');
  await page.getByTestId('compare-b-batch').fill('64');
  await plannedReady(page);
  await stepShown(page, 'copy/tape', 64);
});

test('heads that do not divide the embedding size: the message, no stale curves, no Measure', async () => {
  await setNumber(page, 'heads', 5);
  await expect(page.getByTestId('error-embd')).toHaveText('Embedding size 384 is not divisible by 5 heads');
  await expect(page.getByTestId('input-embd')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('planned-invalid')).toBeVisible();
  await expect(page.getByTestId('planned-chart')).toHaveCount(0);
  await expect(page.getByTestId('max-batch-list')).toHaveCount(0);
  await expect(page.getByTestId('step-section')).toHaveCount(0);
  await expect(page.getByTestId('compare-section')).toHaveCount(0);
  await expect(page.getByTestId('measure')).toBeDisabled();
  await expect(page.getByTestId('measure-status')).toHaveText('Fix the setting marked in red to measure.');

  await setNumber(page, 'heads', 6);
  await expect(page.getByTestId('error-embd')).toHaveText('');
  await expect(page.getByTestId('planned-invalid')).toHaveCount(0);
  await plannedReady(page);
  await expect(page.getByTestId('max-batch-list').locator('li[data-combo]')).toHaveCount(3);
  await expect(page.getByTestId('measure')).toBeEnabled();
  await stepShown(page, 'copy/tape', 64);
});

test('an empty sequence length needs a value', async () => {
  await setNumber(page, 'seq', '');
  await expect(page.getByTestId('error-seq')).toHaveText('Sequence length needs a value');
  await expect(page.getByTestId('planned-invalid')).toBeVisible();
  await expect(page.getByTestId('planned-chart')).toHaveCount(0);
  await expect(page.getByTestId('measure')).toBeDisabled();
  await setNumber(page, 'seq', 256);
  await expect(page.getByTestId('error-seq')).toHaveText('');
  await plannedReady(page);
  await expect(page.getByTestId('preset')).toHaveValue('seed');
});

test('the dark theme is set on the document', async () => {
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  const toggle = page.getByTestId('theme-toggle');
  if (before === 'dark') await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('theme')).toBe('dark');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('an address with parameters it cannot read: each is named, and the defaults are planned', async ({
  browser,
}) => {
  const fresh = await newContext(browser);
  try {
    const p = await fresh.newPage();
    await openPage(p, 'B=abc&zzz=1&combos=nope');
    const warnings = p.getByTestId('url-warnings');
    await expect(warnings.locator('li')).toHaveText([
      'Ignored unknown parameter "zzz"',
      'Ignored "B=abc": not a whole number',
      'Ignored unknown combination nope',
    ]);
    // What was dropped left the defaults in place: the seed preset's three combinations, planned.
    await expect(p.getByTestId('input-batch')).toHaveValue('64');
    await expect(p.getByTestId('preset')).toHaveValue('seed');
    await expect(p.getByTestId('error-combos')).toHaveText('');
    const rows = await maxBatchRows(p);
    expect(rows.map((r) => [r.combo, r.budgetMaxBatch])).toEqual(
      DEFAULT_COMBOS.map((k) => [k, curveOf(comboOf(k), DEFAULT_LIMITS).budgetMaxBatch]),
    );
  } finally {
    await fresh.close();
  }
});
