/**
 * The page's first load executes no engine code it does not call: the graph builder, autodiff,
 * planner, runtime, zod and onnxruntime-web load in the worker (or on demand, like the report
 * export), never with the page. dist/bundle-modules.json is written by vite.config.ts at build.
 */
import { expect, test } from '@playwright/test';

/**
 * Engine modules the page's main thread calls: names and limits, the configuration check, byte
 * formatting, and the constructor of an unmeasured point (zod-free).
 */
const PAGE_ENGINE_MODULES = [
  'src/engine/models/config.ts',
  'src/engine/report/bytes.ts',
  'src/engine/report/points.ts',
  'src/engine/vocabulary.ts',
];

test('the page loads only the engine modules it calls', async ({ request }) => {
  const res = await request.get('/bundle-modules.json');
  expect(res.ok()).toBe(true);
  const initial = (await res.json()) as Record<string, string[]>;
  const main = initial['main'];
  expect(main, 'the build lists the main page').toBeDefined();
  expect(main!.filter((m) => m.startsWith('src/ui/')).length).toBeGreaterThan(5);
  expect(main!.filter((m) => m.startsWith('src/engine/'))).toEqual(PAGE_ENGINE_MODULES);
  const packages = new Set(main!.flatMap((m) => m.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? []));
  for (const heavy of ['zod', 'onnxruntime-web', 'onnx-proto', 'protobufjs'])
    expect(packages.has(heavy), heavy).toBe(false);
  expect(packages.has('react')).toBe(true);
});
