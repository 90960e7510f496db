/**
 * Interruptions, in real processes: SIGINT, SIGTERM and SIGHUP each stop the work and give their
 * exit code; a process whose parent is killed with -9 notices and stops too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'headroom-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = join(process.cwd(), 'src/cli/interruptions.ts');

/** A worker loop that stops at the first interruption, writes why to `out`, exits with its code. */
const worker = (out: string) => `
  const { watchInterruptions, INTERRUPT_EXIT } = await import(${JSON.stringify(module)});
  const { writeFileSync } = await import('node:fs');
  const w = watchInterruptions({ onInterrupt: (why, detail) => writeFileSync(${JSON.stringify(out)}, why + ': ' + detail) });
  console.log('ready');
  const tick = setInterval(() => {
    if (!w.signal.aborted) return;
    clearInterval(tick);
    w.dispose();
    process.exit(INTERRUPT_EXIT[w.received]);
  }, 20);
`;

function runUntilReady(script: string, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited };
}

describe('watchInterruptions', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops the work and exits %i', async (sig, code) => {
    const out = join(dir, `${sig}.txt`);
    const { child, ready, exited } = runUntilReady(worker(out));
    await ready;
    child.kill(sig);
    expect(await exited).toBe(code);
    expect(readFileSync(out, 'utf8')).toBe(`${sig}: ${sig}`);
  });

  it('a launcher further up that dies (npx on SIGTERM) stops the work too, though the parent lives', async () => {
    const out = join(dir, 'launcher.txt');
    const file = join(dir, 'launcher-worker.mjs');
    writeFileSync(file, worker(out));
    // outer "npx" -> inner "sh -c headroom" -> the worker; `; true` keeps each shell from exec'ing.
    const inner = `sh -c "node --import tsx ${file}; true" headroom-inner`;
    const outer = spawn('bash', ['-c', `${inner}; true`, 'npx-headroom'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: process.cwd(),
    });
    await new Promise<void>((resolve) => outer.stdout.on('data', () => resolve()));
    outer.kill('SIGKILL');
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(out, 'utf8')).toMatch(/^SIGHUP: the launching process \d+ is gone$/);
  });

  it('a process whose parent is killed with -9 stops as on a hang-up', async () => {
    const out = join(dir, 'orphan.txt');
    const script = worker(out).replace(/'/g, `'"'"'`);
    // bash starts the worker in the background and waits; we kill bash, not the worker.
    const parent = spawn('bash', ['-c', `node --import tsx --input-type=module -e '${script}' & wait`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: process.cwd(),
    });
    await new Promise<void>((resolve) => parent.stdout.on('data', () => resolve()));
    parent.kill('SIGKILL');
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(out, 'utf8')).toMatch(/^SIGHUP: the parent process \d+ is gone$/);
    // and nothing is left running
    const left = spawnSync('pgrep', ['-f', out], { encoding: 'utf8' }).stdout.trim();
    for (let i = 0; i < 40 && left; i++) await new Promise((r) => setTimeout(r, 50));
    expect(spawnSync('pgrep', ['-f', out], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });
});
