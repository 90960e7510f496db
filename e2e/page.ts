/** Driving the app's page: its controls and its Measure button. */
import { expect, type Page } from '@playwright/test';

export async function setField(page: Page, field: 'batch' | 'heads' | 'seq' | 'embd', value: number) {
  await page.getByTestId(`input-${field}`).fill(String(value));
  await page.getByTestId(`input-${field}`).blur();
}

export async function webGpuReady(page: Page) {
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
}

/** Presses Measure and waits for the sweep to end with every point measured. */
export async function measure(page: Page) {
  await page.getByRole('button', { name: 'Measure' }).click();
  await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'done', {
    timeout: 240_000,
  });
}
