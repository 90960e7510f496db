/**
 * `npm run bench`: runs every bench/*.bench.mjs (or those named: `npm run bench -- plan page`) in
 * its own Node process (through tsx, which loads the TypeScript sources); each writes its JSON to
 * bench-results/<name>.json. Then all of them go into one file, bench-results/bench.json: the
 * machine, and each bench's figures (each with the machine it ran on) or why it failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const started = new Date();
const results = {};
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.mjs$/, '');
  console.log(`# ${file}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const out = path.join('bench-results', `${name}.json`);
  const fresh = fs.existsSync(out) && fs.statSync(out).mtime >= started;
  if (r.status !== 0 || !fresh) {
    failed++;
    results[name] = {
      error: r.status !== 0 ? `exited with ${r.status ?? r.signal}` : `wrote no ${out}`,
      seconds,
    };
  } else {
    results[name] = { seconds, ...JSON.parse(fs.readFileSync(out, 'utf8')) };
  }
}
const all = {
  createdAt: started.toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  },
  benches: results,
};
fs.mkdirSync('bench-results', { recursive: true });
fs.writeFileSync('bench-results/bench.json', `${JSON.stringify(all, null, 2)}\n`);
console.log(
  `# wrote bench-results/bench.json (${Object.keys(results).join(', ')}${failed ? `; ${failed} failed` : ''})`,
);
process.exit(failed ? 1 : 0);
