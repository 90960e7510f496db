/**
 * Reports in the page, on SwiftShader's WebGPU: the tiny preset's view/minimal step at batch 1 is
 * measured and exported (JSON and gzipped JSON, through the Export menu); after a reload each file
 * opens again — by the file picker and by a drop — and the measured marker and the measured step
 * come back with the same numbers. Hostile files show their problem as text and run nothing; two
 * reports compare node by node; the plan alone exports as Markdown and CSV.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { buildTrainingGraph } from '../src/engine/models/build';
import { initParams } from '../src/engine/models/init';
import { toOnnxBytes } from '../src/engine/onnx/serialize';
import { PRESETS } from '../src/engine/models/spec';
import { decodeReport, encodeReport } from '../src/engine/report/io';
import type { Report } from '../src/engine/report/report';
import { bytesOf, measure, openPage, stepShown, webGpuReady } from './page';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Chooses an Export menu item and returns the downloaded file's name and bytes. */
async function exportItem(page: Page, item: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId(`export-${item}`).click();
  const d = await download;
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

/** Drops a file on the page as a person would: dragenter (the drop zone shows), then drop. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ({ name, b64 }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      (window as unknown as { dropped: DataTransfer }).dropped = dt;
      const target = document.querySelector('.drop-target')!;
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { name, b64: bytes.toString('base64') },
  );
  await expect(page.getByTestId('drop-zone')).toBeVisible();
  await page.evaluate(() => {
    const dt = (window as unknown as { dropped: DataTransfer }).dropped;
    const target = document.querySelector('.drop-target')!;
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  await expect(page.getByTestId('drop-zone')).toHaveCount(0);
}

/** What the page shows of the measured point: its marker, planned and measured peaks. */
async function measuredShown(page: Page) {
  const marker = page.getByTestId('planned-chart').locator('.measured-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute('data-combo', 'view/minimal');
  await expect(marker).toHaveAttribute('data-batch', '1');
  await stepShown(page, 'view/minimal', 1);
  return {
    planned: await bytesOf(page.getByTestId('step-peak')),
    measured: await bytesOf(page.getByTestId('step-measured-peak')),
  };
}

test('a measured report exports, opens again by picker and by drop, and two reports compare', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openPage(page, 'preset=tiny&combos=view.minimal&measure=1&B=1');
  await webGpuReady(page);
  await measure(page);
  const before = await measuredShown(page);
  expect(before.measured).toBe(before.planned);

  const json = await exportItem(page, 'json');
  expect(json.name).toBe('headroom-tiny.json');
  const gz = await exportItem(page, 'json-gz');
  expect(gz.name).toBe('headroom-tiny.json.gz');
  expect([gz.bytes[0], gz.bytes[1]]).toEqual([0x1f, 0x8b]);

  // By the file picker, after a reload (nothing measured any more).
  await page.reload();
  await expect(page.getByTestId('planned-chart').locator('.measured-marker')).toHaveCount(0);
  await page.getByTestId('open-report-input').setInputFiles({
    name: json.name,
    mimeType: 'application/json',
    buffer: json.bytes,
  });
  expect(await measuredShown(page)).toEqual(before);
  await expect(page.getByTestId('imported-from')).toHaveText(
    /imported from headroom-tiny\.json \(adapter .+\)/,
  );
  await expect(page.getByTestId('step-title')).toHaveText(
    /measured in .+, imported from headroom-tiny\.json/,
  );

  // By a drop, after another reload.
  await page.reload();
  await expect(page.getByTestId('planned-chart').locator('.measured-marker')).toHaveCount(0);
  await dropFile(page, gz.name, gz.bytes);
  expect(await measuredShown(page)).toEqual(before);
  await expect(page.getByTestId('file-error')).toHaveCount(0);

  // A hostile file: its name and a node's name are markup; it is refused, and shown as text.
  // Edited in memory and written as the tools write reports (version 2), or broken in its JSON.
  const report = await decodeReport(new Uint8Array(json.bytes));
  const file = async (r: Report) => Buffer.from(await encodeReport(r));
  const hostile = structuredClone(report);
  hostile.points[0]!.measured!.ops[1]!.node = HOSTILE;
  const hostileJson = JSON.parse((await file(hostile)).toString('utf8')) as { schemaVersion: number };
  hostileJson.schemaVersion = 99;
  await page.getByTestId('open-report-input').setInputFiles({
    name: `${HOSTILE}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(hostileJson)),
  });
  const error = page.getByTestId('file-error');
  await expect(error).toContainText(`Could not open ${HOSTILE}.json`);
  await expect(error.locator('img')).toHaveCount(0);
  // A file too big is refused from its size, before anything is read.
  await page.evaluate(() => {
    const file = new File(['{}'], 'huge.json');
    Object.defineProperty(file, 'size', { value: 2 ** 40 });
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'] } });
    document.querySelector('.drop-target')!.dispatchEvent(drop);
  });
  await expect(error).toContainText(/huge\.json is 1\.00 TiB: files over .+ are refused/);
  // The same markup as a node name of a valid report opens, and is shown as text.
  const named = structuredClone(report);
  named.points[0]!.measured!.ops[1]!.node = HOSTILE;
  await page.getByTestId('open-report-input').setInputFiles({
    name: 'named.json',
    mimeType: 'application/json',
    buffer: await file(named),
  });
  await expect(page.getByTestId('file-error')).toHaveCount(0);

  // Two reports side by side: the same point, B holding 1 KiB more in one op.
  const after = structuredClone(named);
  const m = after.points[0]!.measured!;
  m.peakLiveBytes += 1024;
  m.peakReservedBytes += 1024;
  m.ops[1]!.allocBytes += 1024;
  await page.getByTestId('open-report-input').setInputFiles({
    name: 'after.json',
    mimeType: 'application/json',
    buffer: await file(after),
  });
  await page.getByTestId('compare-mode-reports').check();
  await page.getByTestId('report-a').selectOption({ label: 'named.json' });
  await expect(page.getByTestId('compare-summary')).toHaveText(
    /^named\.json peaks at .+, after\.json at .+: B holds 1\.00 KiB more; the biggest difference is \d+ \w+ nodes? allocating 1\.00 KiB more$/,
  );
  await expect(page.getByTestId('report-compare-sources')).toContainText(
    'A shows its measured ops, B its measured ops',
  );
  // The markup node name of named.json is a row of the comparison, shown as text.
  await page.getByTestId('compare-filter').fill('onerror');
  await expect(page.getByTestId('compare').getByText(HOSTILE).first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('the plan alone exports as Markdown and CSV, with the step shown, and its charts as SVG and PNG', async ({
  page,
}) => {
  await openPage(page, 'preset=tiny&combos=view.minimal&B=2');
  await stepShown(page, 'view/minimal', 2);
  for (const item of ['md', 'csv-points', 'csv-ops']) {
    const text = (await exportItem(page, item)).bytes.toString('utf8');
    if (item === 'csv-ops') {
      // One row per op of the step shown, after the header.
      expect(text.split('\r\n')[0], item).toMatch(/^node,opType,phase,scope,allocBytes/);
      expect(text.split('\r\n').filter((l) => l !== '').length, item).toBeGreaterThan(20);
      expect(text, item).toMatch(/attention/);
    } else {
      expect(text, item).toMatch(/view/);
      expect(text, item).toMatch(/minimal/);
    }
  }

  // The charts: standalone SVG (every CSS variable resolved) and PNG.
  for (const chart of ['planned', 'timeline']) {
    const svg = await exportItem(page, `${chart}-svg`);
    const text = svg.bytes.toString('utf8');
    expect(text, chart).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text, chart).not.toContain('var(');
    const png = await exportItem(page, `${chart}-png`);
    expect(png.name).toMatch(/\.png$/);
    expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }
});

test('a real PyTorch memory snapshot opens beside the plan, with PyTorch’s own peak', async ({ page }) => {
  await openPage(page, 'preset=tiny&combos=view.minimal&B=2');
  await stepShown(page, 'view/minimal', 2);
  // Recorded on an H200 (torch_real_h200.py): torch.cuda.max_memory_allocated() printed 81,216,512
  // and max_memory_reserved() 83,886,080.
  await page
    .getByTestId('open-snapshot-input')
    .setInputFiles('src/engine/report/pickle/fixtures/torch_real_h200.pickle');
  await expect(page.getByTestId('torch-peak-allocated')).toHaveAttribute('data-bytes', '81216512');
  await expect(page.getByTestId('torch-peak-reserved')).toHaveAttribute('data-bytes', '83886080');
  const planned = Number(await page.getByTestId('step-peak').getAttribute('data-bytes'));
  await expect(page.getByTestId('torch-planned')).toHaveAttribute('data-bytes', String(planned));
  await expect(page.getByTestId('torch-summary')).toContainText(
    /^PyTorch peaked at 77\.5 MiB; Headroom plans /,
  );
  await expect(page.getByTestId('torch-timeline').locator('svg').first()).toBeVisible();
  // A pickle that would call code is refused with the opcode named, as text.
  await page
    .getByTestId('open-snapshot-input')
    .setInputFiles('src/engine/report/pickle/fixtures/reduce_os_system_p4.pickle');
  await expect(page.getByTestId('file-error')).toContainText(/reduce_os_system_p4\.pickle.*(GLOBAL|REDUCE)/);
});

test('the step shown exports as the ONNX model Measure runs, byte for byte the engine’s', async ({
  page,
}) => {
  await openPage(page, 'preset=tiny&combos=view.minimal&B=2');
  await stepShown(page, 'view/minimal', 2);
  const onnx = await exportItem(page, 'onnx');
  expect(onnx.name).toBe('headroom-view-minimal-b2.onnx');
  // What `headroom export-onnx` writes too: seeded parameters as initializers.
  const graph = buildTrainingGraph({
    model: { ...PRESETS.tiny },
    strategy: 'view',
    retention: 'minimal',
    chunk: 64,
    dtype: 'f32',
    optimizer: 'none',
    microBatches: 1,
  });
  const expected = toOnnxBytes(graph, { batch: 2, paramsAsInputs: false, paramValues: initParams(graph) });
  expect(new Uint8Array(onnx.bytes)).toEqual(expected);
});
