import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
const DIST = process.env.DIST ?? '/tmp/distP';
const server = spawn('npx', ['vite', 'preview', '--port', '4197', '--strictPort', '--outDir', DIST], { stdio: 'ignore', detached: true, cwd: '/work/main' });
const base = 'http://localhost:4197';
for (let i = 0; i < 100; i++) { try { if ((await fetch(base)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--enable-unsafe-webgpu','--enable-unsafe-swiftshader'] });
const combos = ['copy','view','fused','chunked'].flatMap((s) => ['minimal','tape','checkpoint'].map((r) => `${s}.${r}`)).join(',');
const SLIDER = process.env.SLIDER ?? 'slider-seq', FROM = Number(process.env.FROM ?? 256), STEP = Number(process.env.STEP ?? 1);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${base}/?preset=seed&budget=6GB&combos=${combos}`);
  await page.waitForFunction(() => performance.getEntriesByName('headroom:drawn').length > 0, null, { timeout: 60000 });
  await page.waitForTimeout(4000);
  await browser.startTracing(page, { path: '/tmp/seq-trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.invalidationTracking'] });
  const out = [];
  for (let k = 0; k < 3; k++) {
    out.push(await page.evaluate(async ({ slider, v }) => {
      const el = document.querySelector(`[data-testid="${slider}"]`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const before = performance.getEntriesByName('headroom:drawn').at(-1);
      const t0 = performance.now();
      setter.call(el, String(v)); el.dispatchEvent(new Event('input', { bubbles: true }));
      return await new Promise((resolve) => { const poll = () => { const m = performance.getEntriesByName('headroom:drawn').at(-1); if (m && m !== before && m.startTime >= t0) requestAnimationFrame(() => resolve(performance.now() - t0)); else setTimeout(poll, 0); }; poll(); });
    }, { slider: SLIDER, v: FROM + STEP * (k + 1) }));
    await page.waitForTimeout(2500);
  }
  await browser.stopTracing();
  console.log('latencies', out.map((x) => x.toFixed(1)).join(' '));
} finally { await browser.close(); try { process.kill(-server.pid); } catch {} }
