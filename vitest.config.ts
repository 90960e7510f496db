/**
 * Two projects (tiers): `unit`, everything in src/**\/*.test.ts that runs in process (no GPU),
 * and `gpu`, the src/**\/*.gpu.test.ts files that spawn Node processes measuring on WebGPU
 * (SwiftShader on the CPU where there is no GPU). The GPU files run one at a time: each spawned
 * measurement is CPU-bound, so running two at once on a small machine only slows both.
 * `npm test` runs both tiers; `npm run test:unit` / `npm run test:gpu` run one.
 */
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const GPU = 'src/**/*.gpu.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, GPU],
          // One test file per core: Vitest's default leaves one core to itself, which on a 2-core
          // CI machine ran the unit tier on one core (140 s, against 82 s with both).
          maxWorkers: availableParallelism(),
        },
      },
      {
        extends: true,
        test: { name: 'gpu', include: [GPU], fileParallelism: false },
      },
    ],
  },
});
