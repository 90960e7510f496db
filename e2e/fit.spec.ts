/**
 * The training step's controls and the fit advisor in Chromium: the seed preset on a 6 GB budget
 * with AdamW — which setups train at effective batch 64 and which is fastest, every number the
 * engine's own (adviseFit run here in Node, as the page's fit worker runs it); a setup applied to
 * the page; the optimizer, data type and micro-batch controls changing the max-batch list and
 * surviving a reload through the address; and a mixed-precision point measured on SwiftShader
 * (no shader-f16) coming back with the reason instead of running.
 */
import { expect, test, type Page } from '@playwright/test';
import { adviseFit } from '../src/engine/fit/advisor';
import type { FitAnswer, FitSetup } from '../src/engine/fit/types';
import { PRESETS } from '../src/engine/models/spec';
import {
  adapterLimits,
  bytesOf,
  comboOf,
  maxBatchRows,
  measure,
  openPage,
  planConfig,
  plannedReady,
  planner,
  stepShown,
  webGpuReady,
} from './page';

const BUDGET = 6e9;
const DEFAULT_COMBOS = ['copy/tape', 'view/minimal', 'fused/minimal'];

/** The fit table's rows as the page shows them. */
function fitRows(page: Page) {
  return page
    .getByTestId('fit-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const d = (tr as HTMLElement).dataset;
        return {
          combo: d['combo'],
          dtype: d['dtype'],
          microBatch: Number(d['microBatch']),
          microBatches: Number(d['microBatches']),
          peakBytes: Number(d['peakBytes']),
          headroomBytes: Number(d['headroomBytes']),
          ms: Number(d['ms']),
          source: d['source'],
        };
      }),
    );
}

const rowOf = (s: FitSetup) => ({
  combo: `${s.strategy}/${s.retention}`,
  dtype: s.dtype,
  microBatch: s.microBatch,
  microBatches: s.microBatches,
  peakBytes: s.peakBytes,
  headroomBytes: s.headroomBytes,
  ms: s.time.ms,
  source: s.time.source,
});

test.describe.configure({ mode: 'serial' });

test('the fit advisor: seed, 6 GB, AdamW — which setups train at effective batch 64, and the fastest', async ({
  page,
}) => {
  await openPage(page);
  await webGpuReady(page);
  await plannedReady(page);
  await page.getByTestId('optimizer').selectOption('adamw');
  await expect(page.getByTestId('budget')).toHaveValue('6GB');
  const box = page.getByTestId('input-fitBatch');
  await box.fill('64');
  await box.blur();

  const limits = await adapterLimits(page);
  const expected: FitAnswer = adviseFit({
    model: { ...PRESETS.seed },
    chunk: 64,
    loss: 'standard',
    lossChunk: 128,
    budgetBytes: BUDGET,
    effectiveBatch: 64,
    optimizer: 'adamw',
    dtypes: ['f32', 'mixed'],
    allocator: 'lazy',
    limits,
  });
  expect(expected.fitting.length).toBeGreaterThan(10);

  const section = page.getByTestId('fit-section');
  await expect(section).toHaveAttribute('data-optimizer', 'adamw', { timeout: 120_000 });
  await expect(section).toHaveAttribute('data-status', 'ready');
  await expect(section).toHaveAttribute('data-effective-batch', '64');
  expect(await bytesOf(section, 'budget-bytes')).toBe(BUDGET);

  // The sentences first: the suspects at batch 64, how many fit, the fastest, what makes it fit.
  const sentences = await page.getByTestId('fit-sentences').locator('p').allTextContents();
  expect(sentences).toEqual(expected.sentences);
  expect(sentences.join(' ')).toContain('the copying permutes');
  expect(sentences.join(' ')).toContain(`Fastest: `);
  const suspects = page.getByTestId('fit-suspects').locator('li');
  await expect(suspects).toHaveCount(expected.suspects.suspects.length);
  for (const [i, x] of expected.suspects.suspects.entries()) {
    await expect(suspects.nth(i)).toHaveAttribute('data-suspect', x.name);
    expect(await bytesOf(suspects.nth(i))).toBe(x.bytes);
  }

  // Then the fitting setups, fastest first: the first 10, then all of them.
  const table = page.getByTestId('fit-table');
  await expect(table.locator('caption')).toContainText(
    `${expected.fitting.length} of ${expected.fitting.length + expected.notFitting.length} setups fit, fastest first`,
  );
  expect(await fitRows(page)).toEqual(expected.fitting.slice(0, 10).map(rowOf));
  await page.getByTestId('fit-show-all').click();
  expect(await fitRows(page)).toEqual(expected.fitting.map(rowOf));

  // Applying a setup of several micro-batches sets the page to it: combination, dtype, k × b.
  const pick = expected.fitting.find((s) => s.microBatches > 1)!;
  const label = `${pick.strategy}/${pick.retention}, ${pick.dtype}, ${pick.microBatches} × ${pick.microBatch}`;
  await page.getByRole('button', { name: `Apply ${label}` }).click();
  await expect(page.getByTestId('dtype')).toHaveValue(pick.dtype);
  await expect(page.getByTestId('input-microBatches')).toHaveValue(String(pick.microBatches));
  await expect(page.getByTestId('input-batch')).toHaveValue(String(pick.microBatch));
  await expect(page.getByTestId(`combo-${pick.strategy}-${pick.retention}`)).toBeChecked();
  await plannedReady(page);
  await expect(page.getByTestId('planned-chart')).toContainText(
    `micro-batch (×${pick.microBatches} = effective batch)`,
  );
  // The effective batch asked about is still k × b = 64: the answer stays.
  await expect(section).toHaveAttribute('data-effective-batch', '64');
});

test('optimizer, data type and micro-batches change the curves, and survive a reload', async ({ page }) => {
  await openPage(page);
  await webGpuReady(page);
  await plannedReady(page);
  const before = await maxBatchRows(page);

  await page.getByTestId('optimizer').selectOption('adamw');
  await page.getByTestId('dtype').selectOption('mixed');
  const k = page.getByTestId('input-microBatches');
  await k.fill('4');
  await k.blur();
  await plannedReady(page);

  const limits = await adapterLimits(page);
  const config = planConfig('seed', { optimizer: 'adamw', dtype: 'mixed', microBatches: 4 });
  const expected = DEFAULT_COMBOS.map((key) => {
    const c = planner.curve({
      config,
      combo: comboOf(key),
      budgetBytes: BUDGET,
      limits,
      minBatch: 64,
      reserved: false,
    });
    return { combo: key, budgetMaxBatch: c.budgetMaxBatch, maxBatch: c.maxBatch };
  });
  const rows = async () =>
    (await maxBatchRows(page)).map((r) => ({
      combo: r.combo,
      budgetMaxBatch: r.budgetMaxBatch,
      maxBatch: r.maxBatch,
    }));
  await expect.poll(rows).toEqual(expected);
  expect(expected.map((e) => e.budgetMaxBatch)).not.toEqual(before.map((b) => b.budgetMaxBatch));
  const first = expected[0]!;
  await expect(page.getByTestId('max-batch-list').locator('li').first()).toContainText(
    `${first.combo}: 4 × ${first.budgetMaxBatch} on 6 GB`,
  );
  await expect(page.getByTestId('planned-chart')).toContainText('micro-batch (×4 = effective batch)');

  // AdamW's moments: the category `optimizer state`, in the step's legend and at the peak.
  await stepShown(page, 'copy/tape', 64);
  const step = planner.step({ config, combo: comboOf('copy/tape'), batch: 64 });
  const held = step.byCategory['optimizer state'];
  expect(held).toBeGreaterThan(0);
  const legend = page.locator('.st-legend li[data-category="optimizer state"]');
  expect(await bytesOf(legend, 'bytes-at-peak')).toBe(held);
  await page.getByTestId('tab-peak').click();
  const atPeak = page.getByTestId('at-peak');
  await atPeak.getByRole('button', { name: /^Show all/ }).click();
  const expectedStates = step.atPeak.filter((t) => t.category === 'optimizer state');
  expect(expectedStates.length).toBeGreaterThan(0);
  await expect(atPeak.locator('tr[data-category="optimizer state"]')).toHaveCount(expectedStates.length);

  // In the address (defaults are not written), and back after a reload.
  await expect.poll(() => new URL(page.url()).searchParams.get('opt')).toBe('adamw');
  const params = new URL(page.url()).searchParams;
  expect([params.get('dtype'), params.get('k'), params.get('loss')]).toEqual(['mixed', '4', null]);
  await page.reload();
  await plannedReady(page);
  await expect(page.getByTestId('optimizer')).toHaveValue('adamw');
  await expect(page.getByTestId('dtype')).toHaveValue('mixed');
  await expect(page.getByTestId('input-microBatches')).toHaveValue('4');
  await webGpuReady(page);
  await expect.poll(rows).toEqual(expected);
});

test('measuring mixed precision without shader-f16: each point says why, nothing crashes', async ({
  page,
}) => {
  await openPage(page, 'preset=tiny&B=2&combos=view.minimal,copy.tape&dtype=mixed&opt=adamw&k=2&measure=1,2');
  await webGpuReady(page);
  const hasF16 = await page.evaluate(async () =>
    (await navigator.gpu.requestAdapter())?.features.has('shader-f16'),
  );
  expect(hasF16, 'the e2e adapter (SwiftShader) has no shader-f16').toBe(false);
  await measure(page);
  const skips = page.getByTestId('point-skips').locator('li');
  await expect(skips).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await expect(skips.nth(i)).toHaveAttribute('data-error-code', 'invalid-config');
    await expect(skips.nth(i)).toContainText(
      "dtype mixed needs the adapter's shader-f16 feature (f16 compute)",
    );
  }
  // The page goes on: the curves are still planned.
  await plannedReady(page);
});

test('a change while the advisor answers stops that question, and the same worker answers the next', async ({
  page,
}) => {
  const fitWorkers: string[] = [];
  page.on('worker', (w) => {
    if (/fit\.worker/.test(w.url())) fitWorkers.push(w.url());
  });
  await openPage(page);
  // The first question starts the fit worker; a change made at once makes that question stale.
  await expect.poll(() => fitWorkers.length, { timeout: 30_000 }).toBe(1);
  await page.getByTestId('optimizer').selectOption('adamw');
  const section = page.getByTestId('fit-section');
  await expect(section).toHaveAttribute('data-optimizer', 'adamw', { timeout: 120_000 });
  await expect(section).toHaveAttribute('data-status', 'ready');
  // Stopped between two plans, not ended: no second worker loaded and compiled the planner again.
  expect(fitWorkers).toHaveLength(1);
});
