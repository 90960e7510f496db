/**
 * End-to-end tests: headless Chromium on SwiftShader's WebGPU, against the production build
 * (vite build + vite preview). Browser: a Playwright-managed Chromium if installed, else
 * $CHROMIUM_PATH, else /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

const PORT = 4173;

function chromiumExecutable(): string {
  let managed: string | undefined;
  try {
    managed = chromium.executablePath();
  } catch {
    managed = undefined;
  }
  const candidates = [managed, process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (found) return found;
  throw new Error(
    'No Chromium for the e2e tests. Install one (Debian/Ubuntu: `apt-get install -y chromium`, ' +
      'or `npx playwright install chromium`) or set CHROMIUM_PATH to a Chromium binary. Tried: ' +
      candidates.filter(Boolean).join(', '),
  );
}

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
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
        '--use-webgpu-adapter=swiftshader',
      ],
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
