/**
 * Soak, in CI-sized form: repeated measuring runs of the smallest configuration in one page session
 * leave nothing behind — one measuring worker throughout and the same plan workers, no GPU buffer
 * piling up in the measuring worker (counted by its tracer), no event listener piling up in the
 * page (counted by Chromium's own metrics).
 */
import { expect, test } from '@playwright/test';
import { measure, measureWorker, openPage, planWorkers, webGpuReady } from './page';

const RUNS = 16;

/** One attention-only layer, T 8, C 16, 2 heads, view/minimal at batch 1: the quickest point. */
const SMALLEST = 'T=8&C=16&H=2&L=1&kind=attn&combos=view.minimal&measure=1&B=1';

test(`${RUNS} measuring runs in one page leave no worker, GPU buffer or listener behind`, async ({
  page,
}) => {
  await openPage(page, SMALLEST);
  await webGpuReady(page);
  await expect(page.getByTestId('kind-attn')).toBeChecked();
  const planners = planWorkers(page);
  const worker = measureWorker(page);
  expect(worker).toBeDefined();

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const listeners = async () => {
    // Listeners on nodes React has already dropped count until those nodes are collected.
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSEventListeners')?.value ?? NaN;
  };
  /** The measuring worker's live GPU buffers, from the tracer installed in it. */
  const held = () =>
    worker!.evaluate(() => {
      const tracer = (
        globalThis as unknown as Record<symbol, { live: Map<number, { size: number }> } | undefined>
      )[Symbol.for('headroom.gpuTracer')];
      if (!tracer) throw new Error('no GPU tracer in the measuring worker');
      const live = [...tracer.live.values()];
      return { buffers: live.length, bytes: live.reduce((n, b) => n + b.size, 0) };
    });

  const after: { buffers: number; bytes: number; listeners: number; workers: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    await measure(page);
    await expect(page.getByTestId('measure-status')).toHaveText('Measured 1 point.');
    await expect(page.getByTestId('planned-chart').locator('.measured-marker')).toHaveCount(1);
    // The same measuring worker, the same plan workers, nothing else (the fit worker: below).
    expect(measureWorker(page)).toBe(worker);
    expect(planWorkers(page)).toEqual(planners);
    after.push({ ...(await held()), listeners: await listeners(), workers: page.workers().length });
  }
  expect(after).toHaveLength(RUNS);
  // The first run sets up what lives as long as the page (the device, onnxruntime's module); every
  // later one leaves exactly the same behind.
  for (const a of after) expect(a).toEqual(after[0]);
  expect(after[0]!.listeners).toBeGreaterThan(0);
  // The plan workers, the measuring worker and, once the fit panel has asked, its one fit worker.
  const fitWorkers = page.workers().filter((w) => w.url().includes('fit.worker')).length;
  expect(fitWorkers).toBeLessThanOrEqual(1);
  expect(after[0]!.workers).toBe(planners.length + 1 + fitWorkers);
});
