/**
 * A tiny-preset nanoGPT training step of every strategy x retention runs on WebGPU in headless
 * Chromium with CPU fallback disabled, and all of them compute the same loss and gradients.
 */
import { expect, test, type Page } from '@playwright/test';
import { RETENTION_NAMES } from '../src/engine/vocabulary';
import { callHarness, openHarness } from './harness';

const STRATEGIES = ['copy', 'view', 'fused', 'chunked'] as const;

interface StepSummary {
  loss: number;
  gradSample: Record<string, number[]>;
  peakLiveBytes: number;
  peakReservedBytes: number;
  unattributedBytes: number;
  opTypes: string[];
  phases: string[];
  notes: string[];
}

test.describe.configure({ mode: 'serial' });

let page: Page;
const results = new Map<string, StepSummary>();

test.beforeAll(async ({ browser }) => {
  page = await openHarness(browser);
});

test.afterAll(async () => {
  await page?.close();
});

for (const strategy of STRATEGIES) {
  for (const retention of RETENTION_NAMES) {
    test(`${strategy} / ${retention} runs on WebGPU`, async () => {
      const r = await callHarness<StepSummary>(page, 'runTrainingStep', strategy, retention, 2);
      results.set(`${strategy}/${retention}`, r);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.unattributedBytes, r.notes.join('; ')).toBe(0);
      expect(r.peakLiveBytes).toBeGreaterThan(0);
      expect(r.opTypes).toContain(strategy === 'fused' ? 'MultiHeadAttention' : 'Softmax');
      if (strategy === 'copy') expect(r.opTypes).toContain('Transpose');
      else expect(r.opTypes).not.toContain('Transpose');
      // Recomputed in backward: checkpointed blocks, fused attention's weights, and the chunks
      // (except under tape, which keeps every forward tensor instead).
      const recomputes =
        retention === 'checkpoint' ||
        strategy === 'fused' ||
        (strategy === 'chunked' && retention !== 'tape');
      if (recomputes) expect(r.phases).toContain('recompute');
      else expect(r.phases).not.toContain('recompute');
    });
  }
}

test('every combination gives the same loss and gradients', () => {
  const ref = results.get('view/minimal')!;
  expect(results.size).toBe(12);
  for (const [key, r] of results) {
    expect(Math.abs(r.loss - ref.loss) / Math.abs(ref.loss), key).toBeLessThan(1e-5);
    for (const [name, values] of Object.entries(ref.gradSample)) {
      const got = r.gradSample[name]!;
      expect(got, `${key} ${name}`).toHaveLength(values.length);
      const scale = Math.max(...values.map(Math.abs), 1e-6);
      values.forEach((v, i) =>
        expect(Math.abs(got[i]! - v) / scale, `${key} ${name}[${i}]`).toBeLessThan(1e-4),
      );
    }
  }
  // The policies differ in what they keep: tape holds the most, checkpoint the least.
  const peak = (k: string) => results.get(k)!.peakLiveBytes;
  expect(peak('view/tape')).toBeGreaterThan(peak('view/minimal'));
  expect(peak('view/checkpoint')).toBeLessThan(peak('view/minimal'));
});
