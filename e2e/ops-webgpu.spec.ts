/**
 * The nanoGPT op modules on WebGPU in a real browser: for each op (embedding, layer norm, GELU,
 * ReLU, cross-entropy, the elementwise and scatter helpers, and all of them composed), the
 * harness page builds a small f32 training step (the op, a loss, its backward pass) and runs it
 * through the measuring worker on SwiftShader's WebGPU, whose session disables CPU fallback: a
 * node without a WebGPU kernel fails the session. The loss and every gradient must match
 * onnxruntime-web's CPU backend run in the page on the same model and feeds.
 */
import { expect, test, type Page } from '@playwright/test';
import { callHarness, openHarness } from './harness';

interface OpGraphRun {
  name: string;
  forwardOps: string[];
  backwardOps: string[];
  ranOps: string[];
  gpu: Record<string, number[]>;
  cpu: Record<string, number[]>;
  peakLiveBytes: number;
  stepMs: number;
  sessionMs: number;
  notes: string[];
}

/** The cases, by name, with what each must emit (at least) forward and backward. */
const CASES: Record<string, { forward: string[]; backward: string[] }> = {
  embedding: { forward: ['Gather'], backward: ['Gather', 'Equal', 'Cast', 'Einsum'] },
  layerNorm: { forward: ['LayerNormalization'], backward: ['Sub', 'Mul', 'ReduceMean', 'ReduceSum'] },
  gelu: { forward: ['Gelu'], backward: ['Erf', 'Exp', 'Mul', 'Add'] },
  relu: { forward: ['Relu'], backward: ['Greater', 'Where'] },
  crossEntropy: {
    forward: ['ArgMax', 'GatherElements', 'Sub', 'Exp', 'ReduceSum', 'Log', 'Gather', 'Equal', 'Cast'],
    backward: ['ScatterElements', 'Div', 'Mul', 'Expand', 'Neg', 'Exp', 'Sub'],
  },
  elementwise: { forward: ['Exp', 'Log', 'Div'], backward: ['Div', 'Mul', 'Neg'] },
  scatterElements: { forward: ['ScatterElements'], backward: ['GatherElements'] },
  composed: {
    forward: ['Gather', 'LayerNormalization', 'MatMul', 'Gelu', 'Relu', 'ArgMax', 'GatherElements'],
    backward: ['Einsum', 'ScatterElements', 'Erf', 'Where'],
  },
};

/** Relative difference, with a floor of 1e-3 under the magnitudes (so 1e-7 absolute near zero). */
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-3);

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await openHarness(browser);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  const probe = await callHarness<{ available: boolean; reason?: string }>(page, 'probe');
  expect(probe.available, probe.reason).toBe(true);
});

test.afterAll(async () => {
  await page?.context().close();
});

test('the harness offers every case', async () => {
  expect((await callHarness<string[]>(page, 'opGraphs')).sort()).toEqual(Object.keys(CASES).sort());
});

for (const [name, expected] of Object.entries(CASES)) {
  test(`${name}: forward and backward run on WebGPU and match the CPU backend`, async () => {
    const r = await callHarness<OpGraphRun>(page, 'runOpGraph', name);
    console.log(
      `${name}: session ${r.sessionMs.toFixed(0)} ms, step ${r.stepMs.toFixed(0)} ms, peak live ` +
        `${r.peakLiveBytes} B; forward ${r.forwardOps.join(' ')}; backward ${r.backwardOps.join(' ')}`,
    );
    expect(r.forwardOps).toEqual(expect.arrayContaining(expected.forward));
    expect(r.backwardOps).toEqual(expect.arrayContaining(expected.backward));
    // Every op type of the graph ran (as a WebGPU kernel: CPU fallback is disabled).
    expect(r.ranOps).toEqual(expect.arrayContaining([...new Set([...r.forwardOps, ...r.backwardOps])]));
    for (const banned of ['LogSoftmax', 'OneHot', 'Sum', 'SoftmaxCrossEntropyLoss'])
      expect(r.ranOps).not.toContain(banned);

    // The loss and a gradient for every differentiated tensor, equal to the CPU backend's.
    expect(Object.keys(r.gpu).sort()).toEqual(Object.keys(r.cpu).sort());
    expect(Object.keys(r.gpu)).toContain('loss');
    expect(Object.keys(r.gpu).filter((k) => k.startsWith('grad/')).length).toBeGreaterThan(0);
    let worst = 0;
    for (const [out, cpu] of Object.entries(r.cpu)) {
      const gpu = r.gpu[out]!;
      expect(gpu, out).toHaveLength(cpu.length);
      gpu.forEach((v, i) => {
        expect(Number.isFinite(v), `${out}[${i}] = ${v}`).toBe(true);
        const e = relErr(v, cpu[i]!);
        worst = Math.max(worst, e);
        expect(e, `${out}[${i}]: WebGPU ${v}, CPU ${cpu[i]}`).toBeLessThan(1e-4);
      });
    }
    console.log(`${name}: worst relative difference from the CPU backend ${worst.toExponential(2)}`);
  });
}
