import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
const DIST = process.env.DIST ?? '/tmp/distB', OUT = process.env.OUT ?? '/tmp/shot';
const server = spawn('npx', ['vite', 'preview', '--port', '4196', '--strictPort', '--outDir', DIST], { stdio: 'ignore', detached: true, cwd: '/work/main' });
const base = 'http://localhost:4196';
for (let i = 0; i < 100; i++) { try { if ((await fetch(base)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--enable-unsafe-webgpu','--enable-unsafe-swiftshader'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: process.env.DARK ? 'dark' : 'light' });
  await page.goto(`${base}/${process.env.Q ?? ''}`);
  await page.waitForFunction(() => performance.getEntriesByName('headroom:drawn').length > 0, null, { timeout: 60000 });
  await page.waitForTimeout(500);
  const chart = page.getByTestId('planned-chart');
  await chart.screenshot({ path: `${OUT}-a.png` });
  await page.getByRole('checkbox', { name: 'log₂ batch axis' }).uncheck();
  await page.waitForTimeout(300);
  await chart.screenshot({ path: `${OUT}-c.png` });
} finally { await browser.close(); try { process.kill(-server.pid); } catch {} }
