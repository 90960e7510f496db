/**
 * Driving the app's page (index.html): open it on a query, wait for the planned curves, set a
 * control, read the max-batch list, the step and the comparison, and measure.
 */
import { expect, type Locator, type Page, type Worker } from '@playwright/test';
import { ComboPlanner } from '../src/engine/explore/planner';
import type { Combo, PlanConfig } from '../src/engine/explore/types';
import { PRESETS, type PresetName } from '../src/engine/models/spec';
import type { DeviceLimits } from '../src/engine/vocabulary';

/** The numeric controls (a number box `input-<id>` and a slider `slider-<id>` each). */
export type NumberControl = 'batch' | 'seq' | 'embd' | 'heads' | 'layers' | 'mlpRatio' | 'vocab' | 'chunk';

/** Opens the page on `query` ("preset=tiny&B=1", no leading "?") and waits for its planned curves. */
export async function openPage(page: Page, query = ''): Promise<void> {
  await page.goto(query ? `/?${query}` : '/');
  await plannedReady(page);
}

/** Waits until every selected combination's curve is planned and drawn. */
export async function plannedReady(page: Page): Promise<void> {
  await expect(page.getByTestId('planned-status')).toHaveAttribute('data-pending', '0');
  await expect(page.getByTestId('planned-chart')).toBeVisible();
  await expect(page.getByTestId('max-batch-list')).toBeVisible();
}

/** Types `value` into a control's number box ('' empties it). */
export async function setNumber(page: Page, control: NumberControl, value: number | ''): Promise<void> {
  const box = page.getByTestId(`input-${control}`);
  await box.fill(String(value));
  await box.blur();
}

export interface MaxBatchRow {
  combo: string;
  status: string;
  budgetMaxBatch: number;
  limitMaxBatch: number;
  maxBatch: number;
  binds: string;
}

/** The max-batch list's rows, in the order shown. */
export function maxBatchRows(page: Page): Promise<MaxBatchRow[]> {
  return page
    .getByTestId('max-batch-list')
    .locator('li[data-combo]')
    .evaluateAll((lis) =>
      lis.map((li) => {
        const d = (li as HTMLElement).dataset;
        return {
          combo: d['combo'] ?? '',
          status: d['status'] ?? '',
          budgetMaxBatch: Number(d['budgetMaxBatch']),
          limitMaxBatch: Number(d['limitMaxBatch']),
          maxBatch: Number(d['maxBatch']),
          binds: d['binds'] ?? '',
        };
      }),
    );
}

/** An element's data-<name> as an exact byte count. */
export async function bytesOf(locator: Locator, name = 'bytes'): Promise<number> {
  const value = await locator.getAttribute(`data-${name}`);
  expect(value, `data-${name}`).toMatch(/^\d+$/);
  return Number(value);
}

/** Waits until the step view shows `combo` ("copy/tape") at `batch`, planned and settled. */
export async function stepShown(page: Page, combo: string, batch: number): Promise<void> {
  await expect(page.getByTestId('step-title')).toHaveAttribute('data-combo', combo);
  await expect(page.getByTestId('step-title')).toHaveAttribute('data-batch', String(batch));
  await expect(page.getByTestId('step-section')).toHaveAttribute('data-status', 'ready');
}

/** The compared pair, as the pickers show it: "copy/tape@64". */
export async function comparePair(page: Page): Promise<[string, string]> {
  const side = async (s: 'a' | 'b') =>
    `${await page.getByTestId(`compare-${s}-combo`).inputValue()}@${await page
      .getByTestId(`compare-${s}-batch`)
      .inputValue()}`;
  return [await side('a'), await side('b')];
}

export async function webGpuReady(page: Page): Promise<void> {
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
}

/** The WebGPU adapter's buffer limits, as the page's measuring worker gets them (its adapter's own). */
export function adapterLimits(page: Page): Promise<DeviceLimits> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    return {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    };
  });
}

/** Presses Measure (and Measure anyway, when the estimate asks) and waits for the run to end. */
export async function measure(page: Page): Promise<void> {
  await startMeasuring(page);
  await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'done', {
    timeout: 240_000,
  });
}

/**
 * How many measuring runs the page has started since this was first called (a MutationObserver on
 * the status counts every change to "measuring", so a run too quick to be seen still counts).
 */
function runsStarted(page: Page): Promise<number> {
  return page.getByTestId('measure-status').evaluate((el) => {
    const w = window as unknown as { headroomRuns?: { n: number } };
    if (!w.headroomRuns) {
      const runs = { n: 0 };
      w.headroomRuns = runs;
      new MutationObserver(() => {
        if (el.getAttribute('data-status') === 'measuring') runs.n++;
      }).observe(el, { attributes: true, attributeFilter: ['data-status'] });
    }
    return w.headroomRuns.n;
  });
}

/** Presses Measure (and Measure anyway, when the estimate asks) and returns once the run started. */
export async function startMeasuring(page: Page): Promise<void> {
  const before = await runsStarted(page);
  const button = page.getByTestId('measure');
  await expect(button).toBeEnabled();
  await button.click();
  const anyway = page.getByTestId('measure-anyway');
  // Either the run starts, or the page asks to confirm a slow one first.
  await expect.poll(async () => (await anyway.isVisible()) || (await runsStarted(page)) > before).toBe(true);
  if (await anyway.isVisible()) await anyway.click();
  await expect.poll(() => runsStarted(page)).toBeGreaterThan(before);
}

/** The page's measuring worker (its script is measure.worker-<hash>.js), if it is running. */
export function measureWorker(page: Page): Worker | undefined {
  return page.workers().find((w) => w.url().includes('measure.worker'));
}

/** The page's plan workers. */
export function planWorkers(page: Page): Worker[] {
  return page.workers().filter((w) => w.url().includes('plan.worker'));
}

/** The engine's plan of a preset under the page's default options (chunk 64, f32, lazy allocator, standard loss). */
export function planConfig(preset: PresetName, patch: Partial<PlanConfig> = {}): PlanConfig {
  return {
    model: { ...PRESETS[preset] },
    chunk: 64,
    dtype: 'f32',
    allocator: 'lazy',
    optimizer: 'none',
    microBatches: 1,
    loss: 'standard',
    lossChunk: 128,
    ...patch,
  };
}

/** "copy/tape" → { strategy: 'copy', retention: 'tape' }. */
export function comboOf(key: string): Combo {
  const [strategy, retention] = key.split('/');
  return { strategy, retention } as Combo;
}

/** One planner for a spec file: the same engine the page's plan workers run. */
export const planner = new ComboPlanner();
