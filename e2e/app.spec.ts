/**
 * The app end to end, in headless Chromium on SwiftShader's WebGPU: configure a small layer,
 * measure copy and view, read the chart and the ops table; and refuse a bad configuration.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const F32 = 4;
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

async function setField(page: Page, field: 'batch' | 'heads' | 'seq' | 'embd', value: number) {
  await page.getByTestId(`input-${field}`).fill(String(value));
  await page.getByTestId(`input-${field}`).blur();
}

interface Row {
  opType: string;
  phase: string;
  allocBytes: number;
  shapes: number[][];
}

/** Every row of the ops table for the selected point (with the attention-only filter as set). */
async function opsRows(page: Page): Promise<Row[]> {
  return page
    .getByTestId('ops-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const el = tr as HTMLElement;
        const shapeCell = el.querySelectorAll('td')[4]?.textContent ?? '';
        return {
          opType: el.dataset.opType ?? '',
          phase: el.dataset.phase ?? '',
          allocBytes: Number(el.dataset.allocBytes),
          shapes: shapeCell
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s && s !== 'scalar')
            .map((s) => s.split('×').map(Number)),
        };
      }),
    );
}

test('measures copy and view, and attributes every Transpose output exactly', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });

  await setField(page, 'seq', 32);
  await setField(page, 'embd', 64);
  await setField(page, 'heads', 4);
  await setField(page, 'batch', 4);
  await page.getByRole('button', { name: 'Measure' }).click();
  await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'done', {
    timeout: 240_000,
  });

  // The chart: both strategies at batches 1, 2 and 4, every peak positive; copy needs more.
  const rows = await page
    .getByTestId('chart-data')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const d = (tr as HTMLElement).dataset;
        return { strategy: d.strategy, batch: Number(d.batch), peak: Number(d.peakLiveBytes) };
      }),
    );
  expect(rows).toHaveLength(6);
  for (const s of ['copy', 'view']) {
    const line = rows.filter((r) => r.strategy === s).sort((a, b) => a.batch - b.batch);
    expect(line.map((r) => r.batch)).toEqual([1, 2, 4]);
    for (const r of line) expect(r.peak).toBeGreaterThan(0);
    expect(line[2]!.peak).toBeGreaterThan(line[0]!.peak);
  }
  await expect(page.getByTestId('memory-chart').locator('.recharts-legend-item')).toHaveText([
    'copy',
    'view',
  ]);

  // copy @ 4: its Transposes (head splits, k transpose, merge, and their gradients) each
  // allocate exactly their output: product(shape) x 4 bytes.
  await page.getByTestId('point-select').selectOption({ label: 'copy @ batch 4' });
  await expect(page.getByTestId('ops-table')).toHaveAttribute('data-strategy', 'copy');
  await page.getByTestId('attention-only').uncheck();
  // The worker planned the point before running it; plan and measurement agree.
  const planned = await page.getByTestId('planned-peak').locator('dd').textContent();
  const measuredPeak = await page.getByTestId('point-summary').locator('dd').first().textContent();
  expect(planned).toBe(measuredPeak);
  const copyOps = await opsRows(page);
  const transposes = copyOps.filter((r) => r.opType === 'Transpose');
  // The graph has 5 forward Transposes (q, k, v heads, the k transpose, the merge) and 9 in
  // backward. onnxruntime's transpose optimizer (it runs even with graph optimisations off)
  // merges k_heads and k_transpose into one Transpose, and their two gradients into one, so 4
  // and 8 kernels run.
  expect(transposes.filter((r) => r.phase === 'forward')).toHaveLength(4);
  expect(transposes.filter((r) => r.phase === 'backward')).toHaveLength(8);
  for (const t of transposes) {
    expect(t.shapes).toHaveLength(1);
    expect(t.shapes[0]![0]).toBe(4);
    expect(t.allocBytes).toBe(product(t.shapes[0]!) * F32);
  }

  // view @ 4: no Transpose anywhere in the step.
  await page.getByTestId('point-select').selectOption({ label: 'view @ batch 4' });
  await expect(page.getByTestId('ops-table')).toHaveAttribute('data-strategy', 'view');
  const viewOps = await opsRows(page);
  expect(viewOps.length).toBeGreaterThan(10);
  expect(viewOps.filter((r) => r.opType === 'Transpose')).toEqual([]);
  expect(viewOps.some((r) => r.opType === 'Einsum')).toBe(true);
  // The copies cost allocations: copy allocates more over the step than view does.
  const total = (ops: Row[]) => ops.reduce((n, r) => n + r.allocBytes, 0);
  expect(total(copyOps)).toBeGreaterThan(total(viewOps));

  // The sweep exports as a report of the documented schema.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const file = await (await download).path();
  const report = JSON.parse(readFileSync(file, 'utf8'));
  expect(report.schemaVersion).toBe(1);
  expect(report.points).toHaveLength(6);
  expect(report.device.adapter).toMatch(/swiftshader/i);
  for (const p of report.points) expect(p.measured.peakLiveBytes).toBeGreaterThan(0);

  // Everything the page and its worker loaded came from the app itself.
  for (const url of requests) expect(new URL(url).hostname).toBe('localhost');
});

test('an embedding size not divisible by the heads is refused beside the control', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
  await setField(page, 'heads', 6);
  await setField(page, 'embd', 100);
  await expect(page.getByTestId('error-embd')).toHaveText(/embedding size 100 is not divisible by 6 heads/);
  await page.getByRole('button', { name: 'Measure' }).click();
  await expect(page.getByTestId('measure-status')).not.toHaveAttribute('data-status', 'measuring');
  await expect(page.getByTestId('chart-data').locator('tbody tr')).toHaveCount(0);
  await expect(page.getByTestId('error-embd')).toHaveText(/not divisible/);
});

test('compares fused and chunked attention under a chosen retention', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
  await setField(page, 'seq', 32);
  await setField(page, 'embd', 64);
  await setField(page, 'batch', 2);
  await page.getByTestId('strategy-copy').uncheck();
  await page.getByTestId('strategy-fused').check();
  await page.getByTestId('strategy-chunked').check();
  await page.getByTestId('retention').selectOption('tape');
  await page.getByTestId('input-chunk').fill('8');
  await page.getByRole('button', { name: 'Measure' }).click();
  await expect(page.getByTestId('measure-status')).toHaveAttribute('data-status', 'done', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('memory-chart').locator('.recharts-legend-item')).toHaveText([
    'view',
    'fused',
    'chunked',
  ]);
  const rows = await page
    .getByTestId('chart-data')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.strategy));
  // Batches 1, 2 and 4 (the base batches; the slider's 2 is among them) for each strategy.
  expect(rows.sort()).toEqual([
    'chunked',
    'chunked',
    'chunked',
    'fused',
    'fused',
    'fused',
    'view',
    'view',
    'view',
  ]);
  await expect(page.getByTestId('results-config')).toContainText('retention tape');
  // Fused attention's forward pass is one kernel with no score tensor: no Softmax runs forward.
  // Its backward pass recomputes the weights (a Softmax in phase 'recompute'), so even on a tape
  // no B·H·T² tensor is kept across the step.
  await page.getByTestId('point-select').selectOption({ label: 'fused @ batch 2' });
  const ops = await page
    .getByTestId('ops-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({ op: (tr as HTMLElement).dataset.opType, phase: (tr as HTMLElement).dataset.phase })),
    );
  const forward = ops.filter((o) => o.phase === 'forward').map((o) => o.op);
  expect(forward).toContain('MultiHeadAttention');
  expect(forward).not.toContain('Softmax');
  expect(ops.filter((o) => o.op === 'Softmax').map((o) => o.phase)).toEqual(['recompute']);
});

test('refuses to measure with no strategy picked', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('strategy-copy').uncheck();
  await page.getByTestId('strategy-view').uncheck();
  await expect(page.getByTestId('error-strategies')).toHaveText('pick at least one strategy to measure');
});
