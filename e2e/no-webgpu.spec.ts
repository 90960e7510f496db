/**
 * Without WebGPU the page explains itself, keeps Measure off and ends its measuring worker; the
 * planned curves still show (planning runs in the plan workers and needs no GPU), checked against
 * WebGPU's default buffer limits.
 */
import { expect, test } from '@playwright/test';
import { WEBGPU_DEFAULT_LIMITS } from '../src/engine/vocabulary';
import { BROWSER_ARGS, chromiumExecutable } from './browser';
import { comboOf, maxBatchRows, measureWorker, openPage, planConfig, planner, planWorkers } from './page';

test.use({
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: [...BROWSER_ARGS, '--disable-features=WebGPU'],
  },
});

test('says WebGPU is unavailable and why, keeps Measure off, and still plans', async ({ page }) => {
  await openPage(page);
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'missing');
  await expect(page.getByTestId('webgpu-notice')).toBeVisible();
  await expect(page.getByTestId('webgpu-notice')).toContainText('WebGPU is unavailable');
  await expect(page.getByTestId('webgpu-reason')).toContainText(/WebGPU|adapter/);
  await expect(page.getByTestId('measure')).toBeDisabled();
  await expect(page.getByTestId('measure-estimate')).toHaveCount(0);
  await expect(page.getByTestId('measure-status')).toHaveText(
    'WebGPU is unavailable in this browser, so nothing can be measured.',
  );
  // Nothing can be measured, so the page ended its measuring worker; the plan workers stay.
  await expect.poll(() => measureWorker(page)).toBeUndefined();
  expect(planWorkers(page).length).toBeGreaterThan(0);

  // The planned curves, each max batch the engine's under WebGPU's default buffer limits.
  await expect(page.getByTestId('planned-chart')).toBeVisible();
  const limits = {
    maxBufferSize: WEBGPU_DEFAULT_LIMITS.maxBufferSize,
    maxStorageBufferBindingSize: WEBGPU_DEFAULT_LIMITS.maxStorageBufferBindingSize,
  };
  const keys = ['copy/tape', 'view/minimal', 'fused/minimal'];
  const expected = keys.map((key) => {
    const c = planner.curve({
      config: planConfig('seed'),
      combo: comboOf(key),
      budgetBytes: 6e9,
      limits,
      minBatch: 64,
      reserved: false,
    });
    return [key, c.budgetMaxBatch, c.limitMaxBatch, c.binds];
  });
  await expect
    .poll(async () =>
      (await maxBatchRows(page)).map((r) => [r.combo, r.budgetMaxBatch, r.limitMaxBatch, r.binds]),
    )
    .toEqual(expected);
  await expect(page.getByTestId('max-batch-list').locator('.mb-limit').first()).toContainText(
    '(default limits)',
  );
  // The step and the comparison too.
  await expect(page.getByTestId('step-section')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('compare-summary')).toContainText('copy/tape holds');
  // The configuration controls still work.
  await expect(page.getByTestId('input-embd')).toBeEditable();
});
