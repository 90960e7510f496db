/**
 * The plan agrees with the GPU: for the tiny preset (nanoGPT, 2 layers), every strategy x
 * retention at batch 1, 2 and 4, the planned peak live bytes equal the measured peak
 * (lazyRelease, WebGPU on SwiftShader), and the planned execution order is the one onnxruntime
 * ran. Known places where they could differ, none of which occurs in these graphs (see
 * src/engine/plan/README.md): a Transpose the runtime's transpose optimiser pushes through an
 * elementwise op or a reduction. Tolerance: exact (the target allows 1%).
 */
import { expect, test, type Page } from '@playwright/test';
import { callHarness, openHarness } from './harness';

interface PlanVsMeasured {
  planned: number;
  measured: number;
  plannedOrder: string[];
  measuredOrder: string[];
}

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await openHarness(browser);
});

test.afterAll(async () => {
  await page?.close();
});

for (const strategy of ['copy', 'view', 'fused', 'chunked'] as const) {
  for (const retention of ['minimal', 'tape', 'checkpoint'] as const) {
    test(`${strategy} / ${retention}: planned peak = measured peak at batch 1, 2, 4`, async () => {
      for (const batch of [1, 2, 4]) {
        const r = await callHarness<PlanVsMeasured>(page, 'planVsMeasured', strategy, retention, batch);
        expect(r.measuredOrder, `order at batch ${batch}`).toEqual(r.plannedOrder);
        expect(r.measured, `peak at batch ${batch}`).toBe(r.planned);
      }
    });
  }
}
