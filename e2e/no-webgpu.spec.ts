/** Without WebGPU the page explains itself instead of going blank, and does not try to measure. */
import { expect, test } from '@playwright/test';
import { BROWSER_ARGS, chromiumExecutable } from './browser';

test.use({
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: [...BROWSER_ARGS, '--disable-features=WebGPU'],
  },
});

test('says WebGPU is unavailable, why, and keeps Measure off', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-notice')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('webgpu-notice')).toContainText('WebGPU is unavailable');
  await expect(page.getByTestId('webgpu-reason')).toContainText(/WebGPU|adapter/);
  await expect(page.getByRole('button', { name: 'Measure' })).toBeDisabled();
  // The configuration controls still work.
  await expect(page.getByTestId('input-embd')).toBeEditable();
  // Nothing can be measured, so the page ended its measuring worker.
  await expect.poll(() => page.workers().length).toBe(0);
});
