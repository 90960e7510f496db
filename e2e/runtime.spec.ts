/**
 * The measured-run runtime in a real browser: the harness page (e2e-harness.html) runs the tiny
 * graph (x[2,4,8] -> Transpose -> MatMul(W) -> Reshape -> Softmax -> ReduceSum) through the
 * measuring worker on SwiftShader's WebGPU, and the attribution must be exact.
 */
import { expect, test, type Page } from '@playwright/test';

interface Op {
  node: string;
  opType: string;
  allocBytes: number;
  freedBytes: number;
  liveBytesAfter: number;
  outputs: { name: string; shape: number[]; bytes: number }[];
  gpuMs: number | null;
}
interface Result {
  peakLiveBytes: number;
  peakReservedBytes: number;
  baselineBytes: number;
  unattributedBytes: number;
  nonTensorBytes: number;
  stepMs: number;
  sessionMs: number;
  attribution: string;
  notes: string[];
  ops: Op[];
  outputs: Record<string, number[]>;
}
interface Harness {
  probe(): Promise<{ available: boolean; reason?: string; adapter?: string; crossOriginIsolated: boolean }>;
  runTiny(mode: Mode): Promise<Result>;
  runChain(mode: Mode): Promise<Result>;
}
type Mode = 'lazyRelease' | 'bucket';
const harness = (page: Page) => {
  const call = <K extends keyof Harness>(method: K, ...args: Parameters<Harness[K]>) =>
    page.evaluate(
      ([m, a]) => {
        const h = (window as unknown as { headroomHarness: Record<string, (...x: unknown[]) => unknown> })
          .headroomHarness;
        return h[m]!(...a);
      },
      [method, args] as const,
    ) as ReturnType<Harness[K]>;
  return {
    probe: () => call('probe'),
    runTiny: (mode: Mode) => call('runTiny', mode),
    runChain: (mode: Mode) => call('runChain', mode),
  };
};

const F32 = 4;
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

test.describe.configure({ mode: 'serial' });

let page: Page;
const requests: string[] = [];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto('/e2e-harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
});

test.afterAll(async () => {
  await page?.context().close();
});

test('the page is cross-origin isolated and WebGPU has an adapter', async () => {
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const probe = await harness(page).probe();
  expect(probe, probe.reason).toMatchObject({ available: true, crossOriginIsolated: true });
  console.log(`adapter: ${probe.adapter}`);
});

test('lazyRelease: every byte of the step is attributed, exactly', async () => {
  const r = await harness(page).runTiny('lazyRelease');
  console.log(
    `lazyRelease: session ${r.sessionMs.toFixed(0)} ms, step ${r.stepMs.toFixed(0)} ms, peak live ` +
      `${r.peakLiveBytes} B, peak reserved ${r.peakReservedBytes} B, non-tensor ${r.nonTensorBytes} B`,
  );
  expect(r.attribution, r.notes.join('; ')).toBe('bindings');
  expect(r.unattributedBytes).toBe(0);
  const op = (name: string) => r.ops.find((o) => o.node === name)!;
  expect(r.ops.map((o) => o.node)).toEqual([
    'input',
    'transpose',
    'matmul',
    'reshape',
    'softmax',
    'reducesum',
  ]);

  const transpose = op('transpose');
  expect(transpose.outputs[0]!.shape).toEqual([2, 8, 4]);
  expect(transpose.allocBytes).toBe(product([2, 8, 4]) * F32);
  expect(op('reshape').allocBytes).toBe(0);
  expect(op('input').allocBytes).toBe(product([2, 4, 8]) * F32);
  expect(op('matmul').allocBytes).toBe(product([2, 8, 16]) * F32);
  expect(op('matmul').freedBytes).toBe(product([2, 8, 4]) * F32); // the transpose's output
  expect(op('softmax').freedBytes).toBe(product([2, 8, 16]) * F32); // the matmul's (via the reshape alias)
  expect(transpose.gpuMs).not.toBeNull();

  // W (parameter) + x + m + s live together inside the softmax; t was freed after the matmul.
  const w = 4 * 16 * F32;
  expect(r.baselineBytes).toBe(w);
  expect(r.peakLiveBytes).toBe(w + (64 + 256 + 256) * F32);
  // ORT releases lazily (at its next flush), so the buffers that exist peak higher.
  expect(r.peakReservedBytes).toBeGreaterThanOrEqual(r.peakLiveBytes);
  expect(r.peakReservedBytes).toBe(w + (64 + 64 + 256 + 256 + 64) * F32);

  expect(r.outputs.y).toHaveLength(64);
  for (const v of r.outputs.y!) expect(v).toBeCloseTo(1, 5); // sums of softmax rows
});

test('bucket: buffers come from the bucket table', async () => {
  const r = await harness(page).runTiny('bucket');
  console.log(`bucket: session ${r.sessionMs.toFixed(0)} ms, step ${r.stepMs.toFixed(0)} ms`);
  expect(r.attribution).toBe('bindings');
  expect(r.unattributedBytes).toBe(0);
  const op = (name: string) => r.ops.find((o) => o.node === name)!;
  expect(op('transpose').allocBytes).toBe(256); // 256 B is a bucket
  expect(op('matmul').allocBytes).toBe(2048); // 1024 B rounds up to the 2048 bucket
  expect(op('reshape').allocBytes).toBe(0);
});

test('recycled buffers: each op of a 20-op chain is charged its own tensor', async () => {
  // ORT's allocation planner reuses freed same-size buffers without createBuffer; the bind
  // groups show which tensor each dispatch writes, so every op still gets its allocation.
  const r = await harness(page).runChain('lazyRelease');
  const T = 64 * 64 * F32;
  expect(r.attribution).toBe('bindings');
  expect(r.unattributedBytes).toBe(0);
  expect(r.ops).toHaveLength(21);
  expect(r.ops.every((o) => o.allocBytes === T)).toBe(true);
  expect(r.peakLiveBytes).toBe(4 * T); // x, h5 (an output), the previous and the current h
  expect(r.peakReservedBytes).toBe(5 * T); // buffers created: x, two recycled, h5, h19
});

test('no request left the origin', () => {
  // The worker's requests are seen too: ORT's wasm comes from the app's own /ort/.
  expect(
    requests.some((u) => new URL(u).pathname.endsWith('/ort/ort-wasm-simd-threaded.asyncify.wasm')),
  ).toBe(true);
  const foreign = requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.hostname !== 'localhost' && url.hostname !== '127.0.0.1';
  });
  expect(foreign).toEqual([]);
});
