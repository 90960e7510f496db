/**
 * The distributable CLI: `npm pack` (which runs `npm run build:cli`), `npm install -g` of the
 * tarball into a fresh prefix with no registry, then `headroom profile` from a folder outside the
 * checkout, so nothing of the repository (sources, node_modules, tsx) can be reached. Its
 * measured peak must be its plan.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithVulkan, measuringEnv, REPO, withLiftoff, type Spawned } from './testing/spawn';
import { decodeReport } from '../engine/report/io';

const dir = mkdtempSync(join(tmpdir(), 'headroom-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function run(cmd: string, args: string[], cwd: string): Promise<Spawned> {
  // PATH without the checkout's node_modules/.bin, which npm scripts and npx put first.
  const PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((p) => !p.includes('node_modules'))
    .join(':');
  const child = spawn(cmd, args, {
    cwd,
    env: withLiftoff({ ...measuringEnv(), PATH }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describeWithVulkan('the packed CLI', () => {
  it(
    'installs from its tarball with no registry and profiles outside the checkout',
    { timeout: 5 * 60_000 },
    async () => {
      const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], REPO)) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = packed[0]!.files.map((f) => f.path);
      expect(files).toContain('dist-cli/headroom.mjs');
      expect(files.some((f) => f.endsWith('dawn.node'))).toBe(true);
      expect(files).toContain('dist-cli/vendor/onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm');
      expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);

      const prefix = join(dir, 'prefix');
      npm(['install', '--global', '--offline', '--prefix', prefix, join(dir, packed[0]!.filename)], dir);
      const installed = join(prefix, 'lib', 'node_modules', 'headroom');
      // No dependency was installed beside it: the bundle and its vendored files are everything.
      expect(existsSync(join(installed, 'node_modules'))).toBe(false);
      expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist-cli', 'package.json']);

      const work = join(dir, 'work');
      mkdirSync(work);
      const r = await run(
        join(prefix, 'bin', 'headroom'),
        ['profile', '--preset', 'tiny', '--batch', '2', '--out', 'tiny.json'],
        work,
      );
      expect(r.code, r.stderr).toBe(0);
      const report = await decodeReport(readFileSync(join(work, 'tiny.json')));
      expect(report.points).toHaveLength(1);
      const [point] = report.points;
      expect(point?.error).toBeNull();
      expect(point?.measured?.peakLiveBytes).toBe(point?.predicted?.peakBytes);
    },
  );
});
