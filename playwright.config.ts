/**
 * End-to-end tests: headless Chromium on SwiftShader's WebGPU, against the production build
 * (vite build + vite preview). Browser: a Playwright-managed Chromium if installed, else
 * $CHROMIUM_PATH, else /usr/bin/chromium.
 */
import { defineConfig } from '@playwright/test';
import { BROWSER_ARGS, chromiumExecutable, WEBGPU_ARGS } from './e2e/browser';

/** The preview server's port: HEADROOM_E2E_PORT, else 4173 (another checkout may be serving there). */
const PORT = Number(process.env['HEADROOM_E2E_PORT'] || 4173);

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // SwiftShader compiles every WebGPU shader on the CPU: a first measurement takes tens of seconds.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [...BROWSER_ARGS, ...WEBGPU_ARGS],
    },
  },
  webServer: {
    command: `npx vite build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/e2e-harness.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
