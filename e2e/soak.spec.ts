/**
 * Soak, in CI-sized form: 20 sweeps in one page session leave nothing behind — one measuring
 * worker throughout, no GPU buffer piling up in it (counted by its tracer), no event listener
 * piling up in the page (counted by Chromium's own metrics).
 */
import { expect, test } from '@playwright/test';
import { measure, setField, webGpuReady } from './page';

const SWEEPS = 20;

test('20 sweeps in one page leave no worker, GPU buffer or listener behind', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await page.goto('/');
  await webGpuReady(page);
  await setField(page, 'seq', 8);
  await setField(page, 'embd', 16);
  await setField(page, 'heads', 2);
  await setField(page, 'batch', 1);
  await page.getByTestId('strategy-copy').uncheck();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const listeners = async () => {
    // Listeners on nodes React has already dropped count until those nodes are collected.
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSEventListeners')?.value ?? NaN;
  };
  /** The measuring worker's live GPU buffers, from the tracer installed in it. */
  const held = async () => {
    const workers = page.workers();
    expect(workers).toHaveLength(1);
    return workers[0]!.evaluate(() => {
      const tracer = (globalThis as unknown as Record<symbol, { live: Map<number, { size: number }> }>)[
        Symbol.for('headroom.gpuTracer')
      ];
      const live = [...(tracer?.live.values() ?? [])];
      return { buffers: live.length, bytes: live.reduce((n, b) => n + b.size, 0) };
    });
  };

  const after: { buffers: number; bytes: number; listeners: number }[] = [];
  for (let i = 0; i < SWEEPS; i++) {
    await measure(page);
    await expect(page.getByTestId('chart-data').locator('tbody tr')).toHaveCount(3);
    after.push({ ...(await held()), listeners: await listeners() });
  }
  expect(after).toHaveLength(SWEEPS);
  // The first sweep sets up what lives as long as the page (the device, onnxruntime's module);
  // every later one leaves exactly the same behind.
  for (const a of after) expect(a).toEqual(after[0]);
  expect(after[0]!.listeners).toBeGreaterThan(0);
});
