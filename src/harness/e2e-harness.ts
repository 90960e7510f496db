/**
 * The e2e harness page's script (e2e-harness.html): drives the measuring worker on the tiny
 * graph for Playwright (e2e/runtime.spec.ts), which calls window.headroomHarness.
 */
import type { MeasureRequest, MeasureResult } from '../engine/runtime/types';
import type { CacheMode, RetentionName, StrategyName } from '../engine/vocabulary';
import { createMeasureClient } from '../worker/client';
import { OP_GRAPHS, runOpGraph } from './opGraphs';
import { chainRequest, tinyRequest } from './tinyModel';
import { planVsMeasured } from './planVsMeasured';
import { runTrainingStep } from './trainingSteps';

export type HarnessResult = Omit<MeasureResult, 'outputs'> & { outputs: Record<string, number[]> };

const client = createMeasureClient();

async function run(req: MeasureRequest): Promise<HarnessResult> {
  const r = await client.measureStep(req);
  const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, Array.from(v)]));
  return { ...r, outputs };
}

const harness = {
  probe: () => client.probeWebGpu(),
  runTiny: (cacheMode: CacheMode) => run(tinyRequest(cacheMode)),
  runChain: (cacheMode: CacheMode) => run(chainRequest(cacheMode)),
  lastTrace: () => client.lastTrace(),
  /** The nanoGPT op graphs (e2e/ops-webgpu.spec.ts): WebGPU through the worker, CPU in the page. */
  opGraphs: () => OP_GRAPHS,
  runOpGraph: (name: string) => runOpGraph(name, (req) => client.measureStep(req)),
  /** A tiny-preset training step (e2e/training-webgpu.spec.ts). */
  runTrainingStep: (strategy: StrategyName, retention: RetentionName, batch: number) =>
    runTrainingStep(strategy, retention, batch, (req) => client.measureStep(req)),
  /** The tiny preset planned and measured (e2e/plan-vs-measured.spec.ts). */
  planVsMeasured: (strategy: StrategyName, retention: RetentionName, batch: number) =>
    planVsMeasured(strategy, retention, batch, (req) => client.measureStep(req)),
};

declare global {
  interface Window {
    headroomHarness?: typeof harness;
  }
}

window.headroomHarness = harness;
document.getElementById('status')!.textContent = 'ready';
