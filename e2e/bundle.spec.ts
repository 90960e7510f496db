/**
 * The page's first load executes no engine code it does not call: the graph builder, autodiff,
 * planner, runtime, zod and onnxruntime-web load in the plan and measuring workers (or on demand,
 * like the report export), never with the page; nor does recharts, which the planned chart does
 * not use. dist/bundle-modules.json is written by vite.config.ts at build.
 */
import { expect, test } from '@playwright/test';

/**
 * Engine modules the page's main thread calls: names and limits, the model presets and their
 * validation (models/spec.ts: no graph code, it imports only the vocabulary), the explore layer's
 * request and result types, its cache key and where a curve ends (the chart cuts the curves
 * there), a step's FLOPs from the model's dimensions (the measuring estimate), byte formatting, an
 * opened report's model and the constructor of an unmeasured point (zod-free).
 */
const PAGE_ENGINE_MODULES = [
  'src/engine/explore/curveEnd.ts',
  'src/engine/explore/key.ts',
  'src/engine/explore/modelOfReport.ts',
  'src/engine/explore/types.ts',
  'src/engine/fit/flops.ts',
  'src/engine/models/spec.ts',
  'src/engine/report/bytes.ts',
  'src/engine/report/points.ts',
  'src/engine/vocabulary.ts',
];

/** Where the engine builds, plans and runs graphs: the workers' code, never the page's. */
const WORKER_ONLY = /^src\/engine\/(models|plan|graph|ops|autodiff|strategies|runtime|onnx)\//;

test('the page loads only the engine modules it calls', async ({ request }) => {
  const res = await request.get('/bundle-modules.json');
  expect(res.ok()).toBe(true);
  const initial = (await res.json()) as Record<string, string[]>;
  const main = initial['main'];
  expect(main, 'the build lists the main page').toBeDefined();
  expect(main!.filter((m) => m.startsWith('src/ui/')).length).toBeGreaterThan(5);
  const engine = main!.filter((m) => m.startsWith('src/engine/'));
  expect(engine).toEqual(PAGE_ENGINE_MODULES);
  // The one exception to the rule is the validation the controls run on every edit.
  expect(engine.filter((m) => WORKER_ONLY.test(m))).toEqual(['src/engine/models/spec.ts']);
  // Neither worker's entry is part of the page's initial load.
  expect(main!.filter((m) => /\.worker\.ts$/.test(m))).toEqual([]);
  const packages = new Set(main!.flatMap((m) => m.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? []));
  for (const heavy of ['zod', 'onnxruntime-web', 'onnx-proto', 'protobufjs'])
    expect(packages.has(heavy), heavy).toBe(false);
  // recharts draws the step timeline and a PyTorch snapshot's chart, loaded after the first chart.
  expect(packages.has('recharts'), 'recharts').toBe(false);
  expect(packages.has('react')).toBe(true);
  expect(packages.has('comlink')).toBe(true);
});
