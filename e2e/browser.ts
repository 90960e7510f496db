/** Which Chromium the e2e tests launch, and with which flags (shared by the config and specs). */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** A Playwright-managed Chromium if installed, else $CHROMIUM_PATH, else /usr/bin/chromium. */
export function chromiumExecutable(): string {
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

/** For a sandboxed machine with a closed network. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU on SwiftShader, for machines without a GPU. */
export const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
];
