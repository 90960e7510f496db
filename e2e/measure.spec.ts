/**
 * Measuring on demand, on SwiftShader's WebGPU: the tiny preset's view/minimal step at batch 1 is
 * measured; the point shows on the planned chart, the step says it was measured and its measured
 * peak equals the planned one to the byte; the report exports with the page's model; and nothing
 * the page loads comes from anywhere but the app itself.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PRESETS } from '../src/engine/models/spec';
import { bytesOf, comboOf, measure, openPage, planConfig, planner, stepShown, webGpuReady } from './page';

test('measures view/minimal of the tiny preset at batch 1: planned = measured, exported', async ({
  page,
}) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openPage(page, 'preset=tiny&combos=view.minimal&measure=1&B=1');
  await webGpuReady(page);

  await expect(page.getByTestId('measure-batches')).toHaveValue('1');
  await expect(page.getByTestId('measure-batches-1')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('measure-estimate')).toHaveText(
    /^Expected to take .+ on SwiftShader \(a CPU adapter\)/,
  );
  await stepShown(page, 'view/minimal', 1);
  await expect(page.getByTestId('step-title')).toHaveText('view/minimal at batch 1: planned');
  await expect(page.getByTestId('step-measured-peak')).toHaveCount(0);

  await measure(page);
  await expect(page.getByTestId('point-errors')).toHaveCount(0);
  await expect(page.getByTestId('point-skips')).toHaveCount(0);

  // The measured point is marked on the chart, on its curve and batch.
  const marker = page.getByTestId('planned-chart').locator('.measured-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute('data-combo', 'view/minimal');
  await expect(marker).toHaveAttribute('data-batch', '1');

  // The step of that point says it was measured, and plan and measurement agree exactly.
  await stepShown(page, 'view/minimal', 1);
  await expect(page.getByTestId('step-title')).toHaveText(
    /^view\/minimal at batch 1: measured on this GPU in .+/,
  );
  const planned = await bytesOf(page.getByTestId('step-peak'));
  expect(planned).toBe(
    planner.step({ config: planConfig('tiny'), combo: comboOf('view/minimal'), batch: 1 }).peakBytes,
  );
  expect(await bytesOf(page.getByTestId('step-measured-peak'))).toBe(planned);

  // The report: the documented schema, the one point, the model as the page had it.
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const file = await (await download).path();
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    schemaVersion: number;
    model: Record<string, unknown>;
    device: { adapter?: string } | null;
    points: { strategy: string; retention: string; batch: number; measured: { peakLiveBytes: number } }[];
  };
  expect(report.schemaVersion).toBe(2);
  expect(report.model).toEqual({ preset: 'tiny', ...PRESETS.tiny });
  expect(report.device?.adapter).toMatch(/swiftshader/i);
  expect(report.points).toHaveLength(1);
  const [point] = report.points;
  expect(point).toMatchObject({ strategy: 'view', retention: 'minimal', batch: 1 });
  expect(point!.measured.peakLiveBytes).toBe(planned);

  // Everything the page and its workers loaded came from the app itself.
  // (onnxruntime's wasm, fetched by the measuring worker, is among them: workers' requests count too.)
  expect(requests.some((u) => u.includes('/ort/'))).toBe(true);
  for (const url of requests) expect(new URL(url).hostname, url).toBe('localhost');
});
