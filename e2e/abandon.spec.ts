/**
 * A point in flight can be abandoned: Stop now ends its worker (and with it the GPU device and its
 * buffers) at once, records the point as cancelled, and the next Measure starts a fresh worker.
 */
import { expect, test } from '@playwright/test';

test('Stop now abandons the running point and releases its worker', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
  const [first] = page.workers();
  expect(first).toBeDefined();
  const ended = new Promise<void>((resolve) => first!.on('close', () => resolve()));

  await page.getByRole('button', { name: 'Measure' }).click();
  // The first point compiles shaders for tens of seconds on SwiftShader: it is still running.
  await expect(page.getByTestId('measure-status')).toHaveText(/^Measuring copy @ batch 1 \(1\/\d+\)/);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('measure-status')).toContainText('stopping after this point');
  await page.getByTestId('abandon').click();

  await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'idle', {
    timeout: 10_000,
  });
  await ended; // the worker holding the device is gone
  await expect(page.getByTestId('point-skips').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('point-skips').locator('li')).toHaveAttribute('data-error-code', 'cancelled');
  await expect(page.getByTestId('point-skips')).toContainText('copy @ batch 1');
  await expect(page.getByTestId('measure-status')).toHaveText(
    'Stopped after 0 points; 1 skipped (see why beside the chart).',
  );
});
