/**
 * The e2e harness page (e2e-harness.html, src/harness/): open it once per spec file and call the
 * functions it puts on `window.headroomHarness`.
 */
import { expect, type Browser, type Page } from '@playwright/test';

export async function openHarness(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.goto('/e2e-harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
  return page;
}

/** Calls `window.headroomHarness[method](...args)` in the page and returns its (serialisable) result. */
export function callHarness<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([m, a]) => {
      const h = (window as unknown as { headroomHarness: Record<string, (...x: unknown[]) => unknown> })
        .headroomHarness;
      return h[m]!(...a);
    },
    [method, args] as const,
  ) as Promise<T>;
}
