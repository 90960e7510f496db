/**
 * The app end to end, in headless Chromium on SwiftShader's WebGPU: configure a small layer,
 * measure copy and view, read the chart and the ops table; and refuse a bad configuration.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { measure, setField, webGpuReady } from './page';

const F32 = 4;
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

interface ChartRow {
  strategy: string;
  batch: number;
  peak: number;
}

/** The chart's points, from its data table. */
async function chartRows(page: Page): Promise<ChartRow[]> {
  return page
    .getByTestId('chart-data')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const d = (tr as HTMLElement).dataset;
        return { strategy: d.strategy ?? '', batch: Number(d.batch), peak: Number(d.peakLiveBytes) };
      }),
    );
}

/** An exact byte count of the point summary (its <dd>'s data-bytes). */
async function summaryBytes(page: Page, testId: 'peak-live' | 'planned-peak'): Promise<number> {
  const value = await page.getByTestId(testId).locator('dd').getAttribute('data-bytes');
  expect(value, `${testId} data-bytes`).toMatch(/^\d+$/);
  return Number(value);
}

/**
 * Records every value the Measure status takes from now on (window.statusLog), so a test can
 * tell that a sweep never started, even for a moment.
 */
async function logStatuses(page: Page) {
  await page.getByTestId('measure-status').evaluate((el) => {
    const log = [el.dataset.status ?? ''];
    new MutationObserver(() => {
      if (log.at(-1) !== el.dataset.status) log.push(el.dataset.status ?? '');
    }).observe(el, { attributes: true, attributeFilter: ['data-status'] });
    (window as unknown as { statusLog: string[] }).statusLog = log;
  });
}

const statusLog = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { statusLog: string[] }).statusLog]);

/** Lets what a click set off reach the DOM: React flushes a click's updates before the next frame. */
const nextFrames = (page: Page) =>
  page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );

interface Row {
  opType: string;
  phase: string;
  allocBytes: number;
  shapes: number[][];
}

/** Every row of the ops table for the selected point (with the attention-only filter as set). */
async function opsRows(page: Page): Promise<Row[]> {
  return page
    .getByTestId('ops-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const el = tr as HTMLElement;
        const shapeCell = el.querySelectorAll('td')[4]?.textContent ?? '';
        return {
          opType: el.dataset.opType ?? '',
          phase: el.dataset.phase ?? '',
          allocBytes: Number(el.dataset.allocBytes),
          shapes: shapeCell
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s && s !== 'scalar')
            .map((s) => s.split('×').map(Number)),
        };
      }),
    );
}

test('measures copy and view, and attributes every Transpose output exactly', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await webGpuReady(page);

  await setField(page, 'seq', 32);
  await setField(page, 'embd', 64);
  await setField(page, 'heads', 4);
  await setField(page, 'batch', 4);
  await measure(page);

  // The chart: both strategies at batches 1, 2 and 4, every peak positive; copy needs more.
  const rows = await chartRows(page);
  expect(rows).toHaveLength(6);
  for (const s of ['copy', 'view']) {
    const line = rows.filter((r) => r.strategy === s).sort((a, b) => a.batch - b.batch);
    expect(line.map((r) => r.batch)).toEqual([1, 2, 4]);
    for (const r of line) expect(r.peak).toBeGreaterThan(0);
    expect(line[2]!.peak).toBeGreaterThan(line[0]!.peak);
  }
  await expect(page.getByTestId('memory-chart').locator('.recharts-legend-item')).toHaveText([
    'copy',
    'view',
  ]);

  // copy @ 4: its Transposes (head splits, k transpose, merge, and their gradients) each
  // allocate exactly their output: product(shape) x 4 bytes.
  await page.getByTestId('point-select').selectOption({ label: 'copy @ batch 4' });
  await expect(page.getByTestId('ops-table')).toHaveAttribute('data-strategy', 'copy');
  await page.getByTestId('attention-only').uncheck();
  // The worker planned the point before running it; plan and measurement agree to the byte, and
  // the summary is the selected point's (the chart's copy @ 4).
  const measuredPeak = await summaryBytes(page, 'peak-live');
  expect(measuredPeak).toBe(rows.find((r) => r.strategy === 'copy' && r.batch === 4)!.peak);
  expect(await summaryBytes(page, 'planned-peak')).toBe(measuredPeak);
  const copyOps = await opsRows(page);
  const transposes = copyOps.filter((r) => r.opType === 'Transpose');
  // The graph has 5 forward Transposes (q, k, v heads, the k transpose, the merge) and 9 in
  // backward. onnxruntime's transpose optimizer (it runs even with graph optimisations off)
  // merges k_heads and k_transpose into one Transpose, and their two gradients into one, so 4
  // and 8 kernels run.
  expect(transposes.filter((r) => r.phase === 'forward')).toHaveLength(4);
  expect(transposes.filter((r) => r.phase === 'backward')).toHaveLength(8);
  for (const t of transposes) {
    expect(t.shapes).toHaveLength(1);
    expect(t.shapes[0]![0]).toBe(4);
    expect(t.allocBytes).toBe(product(t.shapes[0]!) * F32);
  }

  // view @ 4: no Transpose anywhere in the step.
  await page.getByTestId('point-select').selectOption({ label: 'view @ batch 4' });
  await expect(page.getByTestId('ops-table')).toHaveAttribute('data-strategy', 'view');
  const viewOps = await opsRows(page);
  expect(viewOps.length).toBeGreaterThan(10);
  expect(viewOps.filter((r) => r.opType === 'Transpose')).toEqual([]);
  expect(viewOps.some((r) => r.opType === 'Einsum')).toBe(true);
  // The copies cost allocations: copy allocates more over the step than view does.
  const total = (ops: Row[]) => ops.reduce((n, r) => n + r.allocBytes, 0);
  expect(total(copyOps)).toBeGreaterThan(total(viewOps));

  // The sweep exports as a report of the documented schema.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const file = await (await download).path();
  const report = JSON.parse(readFileSync(file, 'utf8'));
  expect(report.schemaVersion).toBe(1);
  expect(report.points).toHaveLength(6);
  expect(report.device.adapter).toMatch(/swiftshader/i);
  for (const p of report.points) expect(p.measured.peakLiveBytes).toBeGreaterThan(0);

  // Everything the page and its worker loaded came from the app itself.
  for (const url of requests) expect(new URL(url).hostname).toBe('localhost');
});

test('compares fused and chunked attention under a chosen retention', async ({ page }) => {
  await page.goto('/');
  await webGpuReady(page);
  await setField(page, 'seq', 32);
  await setField(page, 'embd', 64);
  await setField(page, 'batch', 2);
  await page.getByTestId('strategy-copy').uncheck();
  await page.getByTestId('strategy-fused').check();
  await page.getByTestId('strategy-chunked').check();
  await page.getByTestId('retention').selectOption('tape');
  await page.getByTestId('input-chunk').fill('8');
  await measure(page);
  await expect(page.getByTestId('memory-chart').locator('.recharts-legend-item')).toHaveText([
    'view',
    'fused',
    'chunked',
  ]);
  const rows = await page
    .getByTestId('chart-data')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.strategy));
  // Batches 1, 2 and 4 (the base batches; the slider's 2 is among them) for each strategy.
  expect(rows.sort()).toEqual([
    'chunked',
    'chunked',
    'chunked',
    'fused',
    'fused',
    'fused',
    'view',
    'view',
    'view',
  ]);
  await expect(page.getByTestId('results-config')).toContainText('retention tape');
  // Fused attention's forward pass is one kernel with no score tensor: no Softmax runs forward.
  // Its backward pass recomputes the weights (a Softmax in phase 'recompute'), so even on a tape
  // no B·H·T² tensor is kept across the step.
  await page.getByTestId('point-select').selectOption({ label: 'fused @ batch 2' });
  const ops = await page
    .getByTestId('ops-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({ op: (tr as HTMLElement).dataset.opType, phase: (tr as HTMLElement).dataset.phase })),
    );
  const forward = ops.filter((o) => o.phase === 'forward').map((o) => o.op);
  expect(forward).toContain('MultiHeadAttention');
  expect(forward).not.toContain('Softmax');
  expect(ops.filter((o) => o.op === 'Softmax').map((o) => o.phase)).toEqual(['recompute']);
});

test.describe('an invalid configuration', () => {
  // One page: a small valid sweep first, so that a refused Measure has something to keep.
  test.describe.configure({ mode: 'serial' });

  let page: Page;
  let measured: ChartRow[];

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await page.goto('/');
    await webGpuReady(page);
    await logStatuses(page);
    await setField(page, 'seq', 8);
    await setField(page, 'embd', 16);
    await setField(page, 'heads', 2);
    await setField(page, 'batch', 1);
    await page.getByTestId('strategy-copy').uncheck();
    await measure(page);
    measured = await chartRows(page);
    expect(measured.map((r) => `${r.strategy}@${r.batch}`)).toEqual(['view@1', 'view@2', 'view@4']);
    // The log sees a sweep start and end.
    expect(await statusLog(page)).toEqual(['idle', 'measuring', 'done']);
  });

  test.afterAll(async () => {
    await page?.close();
  });

  /** Presses Measure and checks it did nothing: no sweep started, the earlier sweep still shown. */
  async function measureIsRefused() {
    const before = await statusLog(page);
    await expect(page.getByRole('button', { name: 'Measure' })).toBeEnabled();
    await page.getByRole('button', { name: 'Measure' }).click();
    await nextFrames(page);
    expect(await statusLog(page)).toEqual(before);
    await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('measure-status')).toHaveText('Fix the setting marked in red to measure.');
    expect(await chartRows(page)).toEqual(measured);
    await expect(page.getByTestId('results-config')).toContainText('seq 8, embd 16, 2 heads');
  }

  test('an embedding size not divisible by the heads is refused beside the control', async () => {
    await setField(page, 'heads', 6);
    await setField(page, 'embd', 100);
    await expect(page.getByTestId('error-embd')).toHaveText(/embedding size 100 is not divisible by 6 heads/);
    await measureIsRefused();
    await expect(page.getByTestId('error-embd')).toHaveText(/not divisible/);
    // The chart is labelled as the earlier sweep's, not the configuration now in the controls.
    await expect(page.getByTestId('results-config')).toContainText(
      'The controls have changed since: press Measure to update.',
    );
    await setField(page, 'heads', 2);
    await setField(page, 'embd', 16);
    await expect(page.getByTestId('error-embd')).toHaveText('');
  });

  test('refuses to measure with no strategy picked', async () => {
    await page.getByTestId('strategy-copy').uncheck();
    await page.getByTestId('strategy-view').uncheck();
    await expect(page.getByTestId('error-strategies')).toHaveText('pick at least one strategy to measure');
    await measureIsRefused();
    await page.getByTestId('strategy-view').check();
    await expect(page.getByTestId('error-strategies')).toHaveText('');
  });
});
