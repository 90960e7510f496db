// First batch move after load, N reloads per build, builds alternating: A=/tmp/distA B=/tmp/distB.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
const builds = (process.env.BUILDS ?? 'A,B').split(',');
const N = Number(process.env.N ?? 8), WAIT = Number(process.env.WAIT ?? 500), TRACE = !!process.env.TRACE;
const servers = {};
let port = 4191;
for (const b of builds) {
  const p = port++;
  const server = spawn('npx', ['vite', 'preview', '--port', String(p), '--strictPort', '--outDir', `/tmp/dist${b}`], { stdio: 'ignore', detached: true, cwd: '/work/main' });
  servers[b] = { server, base: `http://localhost:${p}` };
  for (let i = 0; i < 100; i++) { try { if ((await fetch(servers[b].base)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--enable-unsafe-webgpu','--enable-unsafe-swiftshader'] });
const res = Object.fromEntries(builds.map((b) => [b, []]));
const combos = ['copy','view','fused','chunked'].flatMap((s) => ['minimal','tape','checkpoint'].map((r) => `${s}.${r}`)).join(',');
try {
  for (let i = 0; i < N; i++) for (const b of builds) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${servers[b].base}/?preset=seed&budget=6GB&combos=${combos}`);
    await page.waitForFunction(() => performance.getEntriesByName('headroom:drawn').length > 0, null, { timeout: 60000 });
    await page.waitForTimeout(WAIT);
    if (TRACE) await browser.startTracing(page, { path: '/tmp/fb-trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const lat = await page.evaluate(async (moves) => {
      const el = document.querySelector('[data-testid="slider-batch"]');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const out = [];
      for (let k = 0; k < moves; k++) {
        const before = performance.getEntriesByName('headroom:drawn').at(-1);
        const t0 = performance.now();
        setter.call(el, String(60 + 4 * k)); el.dispatchEvent(new Event('input', { bubbles: true }));
        out.push(await new Promise((resolve) => { const poll = () => { const m = performance.getEntriesByName('headroom:drawn').at(-1); if (m && m !== before && m.startTime >= t0) requestAnimationFrame(() => resolve(performance.now() - t0)); else setTimeout(poll, 0); }; poll(); }));
        await new Promise((r) => setTimeout(r, 300));
      }
      return out;
    }, Number(process.env.MOVES ?? 3));
    if (TRACE) await browser.stopTracing();
    res[b].push(lat.map((x) => Math.round(x)));
    await page.close();
  }
} finally { await browser.close(); for (const b of builds) try { process.kill(-servers[b].server.pid); } catch {} }
for (const b of builds) {
  const first = res[b].map((l) => l[0]).sort((x, y) => x - y);
  const rest = res[b].flatMap((l) => l.slice(1)).sort((x, y) => x - y);
  console.log(b, 'first', first.join(' '), '| later med', rest[rest.length >> 1], 'max', rest.at(-1));
}
