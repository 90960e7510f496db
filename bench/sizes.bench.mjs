/**
 * Sizes: what a person downloads. The page's JavaScript and CSS (each file raw and gzipped, from
 * the production build in dist/, built here when missing), onnxruntime-web's WebGPU wasm that the
 * page serves under /ort/ (loaded only when Measure is pressed), and the CLI that `npm pack`
 * ships (`npm run build:cli`: the bundle and its vendored native module and wasm).
 * Writes bench-results/sizes.json.   npm run bench -- sizes
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const KB = 1000;
const round = (n) => Math.round(n * 10) / 10;

function files(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

function sizeOf(file) {
  const bytes = fs.readFileSync(file);
  return { bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

if (!fs.existsSync('dist/index.html')) run('npx', ['vite', 'build']);
run(process.execPath, ['scripts/build-cli.mjs']);

const page = files('dist')
  .filter((f) => /\.(js|mjs|css)$/.test(f) && !f.includes(`${path.sep}ort${path.sep}`))
  .map((f) => ({ file: path.relative('dist', f), ...sizeOf(f) }))
  .sort((a, b) => b.gzipBytes - a.gzipBytes);
const wasm = files('dist/ort').map((f) => ({ file: path.relative('dist', f), bytes: fs.statSync(f).size }));
const cli = files('dist-cli').map((f) => ({ file: f, bytes: fs.statSync(f).size }));
const total = (xs, k) => xs.reduce((s, x) => s + x[k], 0);

const report = {
  bench: 'sizes',
  what: "the page's JavaScript and CSS (raw and gzipped), onnxruntime-web's wasm it serves, the packed CLI",
  createdAt: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
  page: {
    files: page,
    totalKB: round(total(page, 'bytes') / KB),
    totalGzipKB: round(total(page, 'gzipBytes') / KB),
  },
  ortWasm: { files: wasm, totalMB: round(total(wasm, 'bytes') / KB / KB) },
  cli: { files: cli, totalMB: round(total(cli, 'bytes') / KB / KB) },
};
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/sizes.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `page ${report.page.totalGzipKB} KB gzipped (${report.page.totalKB} KB), ORT wasm ${report.ortWasm.totalMB} MB, CLI ${report.cli.totalMB} MB`,
);
