/**
 * A point in flight can be abandoned: Stop now ends the measuring worker (and with it the GPU
 * device and its buffers) at once and records the point as cancelled; the plan workers stay, and
 * the next Measure starts a fresh measuring worker.
 */
import { expect, test } from '@playwright/test';
import { measureWorker, openPage, planWorkers, startMeasuring, webGpuReady } from './page';

test('Stop now abandons the running point and releases the measuring worker', async ({ page }) => {
  // The seed preset's first point compiles its shaders on SwiftShader for seconds: long enough to stop.
  await openPage(page, 'preset=seed&combos=copy.tape,view.minimal&measure=1&B=1');
  await webGpuReady(page);
  const planners = planWorkers(page);
  expect(planners.length).toBeGreaterThan(0);
  const worker = measureWorker(page);
  expect(worker, 'the measuring worker runs once WebGPU is probed').toBeDefined();
  const closed = new Promise<void>((resolve) => worker!.on('close', () => resolve()));

  await startMeasuring(page);
  const status = page.getByTestId('measure-status');
  await expect(status).toHaveText(/^Measuring copy\/tape @ batch 1 \(1 of 2\)…$/);
  await page.getByTestId('cancel').click();
  await expect(status).toContainText('Stopping after this point (Stop now abandons it).');
  await page.getByTestId('abandon').click();

  await expect(status).toHaveAttribute('data-status', 'idle', { timeout: 10_000 });
  await closed; // the worker holding the device is gone
  expect(measureWorker(page)).toBeUndefined();
  // Planning needs no GPU: the plan workers are the same ones, still planning.
  expect(planWorkers(page)).toEqual(planners);
  await expect(page.getByTestId('planned-chart')).toBeVisible();

  const skips = page.getByTestId('point-skips').locator('li');
  await expect(skips).toHaveCount(1);
  await expect(skips).toHaveAttribute('data-error-code', 'cancelled');
  await expect(skips).toHaveAttribute('data-strategy', 'copy');
  await expect(skips).toHaveAttribute('data-batch', '1');
  await expect(status).toHaveText('Stopped after 0 points; 1 skipped.');
  await expect(page.getByTestId('measure')).toBeEnabled();

  // The next Measure starts a fresh measuring worker; stop it the same way.
  await startMeasuring(page);
  await expect.poll(() => measureWorker(page)).toBeDefined();
  expect(measureWorker(page)).not.toBe(worker);
  await page.getByTestId('cancel').click();
  await page.getByTestId('abandon').click();
  await expect(status).toHaveAttribute('data-status', 'idle', { timeout: 10_000 });
  await expect.poll(() => measureWorker(page)).toBeUndefined();
  expect(planWorkers(page)).toEqual(planners);
});
