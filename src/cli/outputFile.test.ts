/** Outputs are checked before any work and written atomically: never a truncated file. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPath, writeFileAtomic } from './outputFile';

const dir = mkdtempSync(join(tmpdir(), 'headroom-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkOutputPath', () => {
  it('accepts a new or existing file in a writable folder, leaving nothing behind', () => {
    writeFileSync(join(dir, 'old.json'), 'old');
    expect(() => checkOutputPath('--out', join(dir, 'new.json'))).not.toThrow();
    expect(() => checkOutputPath('--out', join(dir, 'old.json'))).not.toThrow();
    expect(readdirSync(dir)).toEqual(['old.json']);
  });

  it('names what is wrong: a missing folder, a file used as a folder, a folder, an unwritable place', () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expect(() => checkOutputPath('--out', join(dir, 'nodir', 'x.json'))).toThrow(
      `--out ${join(dir, 'nodir', 'x.json')}: the folder ${join(dir, 'nodir')} does not exist`,
    );
    expect(() => checkOutputPath('--out', join(file, 'x.json'))).toThrow(`${file} is a file, not a folder`);
    expect(() => checkOutputPath('--json', dir)).toThrow(`--json ${dir} is a folder, give a file path`);
    expect(() => checkOutputPath('--out', '/proc/x.json')).toThrow(
      /--out \/proc\/x\.json: cannot create a file in \/proc/,
    );
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    // root may write anywhere; the /proc case above is the check that holds for every user
    if (process.getuid?.() !== 0)
      expect(() => checkOutputPath('--out', join(readOnly, 'x.json'))).toThrow(/cannot create a file/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole, and leaves no temporary file', () => {
    const target = join(dir, 'report.json');
    writeFileAtomic(target, 'first');
    writeFileAtomic(target, new Uint8Array([104, 105]));
    expect(readFileSync(target, 'utf8')).toBe('hi');
    expect(readdirSync(dir).filter((f) => f.includes('report.json'))).toEqual(['report.json']);
  });

  it('keeps the previous file when the write fails part way (a file size limit)', () => {
    const target = join(dir, 'big.json');
    writeFileSync(target, 'previous');
    // A child process with `ulimit -f 8` (8 blocks of 512 B) writes 64 KiB: EFBIG part way.
    const script =
      `import('${join(process.cwd(), 'src/cli/outputFile.ts')}').then(({ writeFileAtomic }) => {` +
      `try { writeFileAtomic(${JSON.stringify(target)}, 'x'.repeat(65536)); } catch (e) { console.log(e.message); }})`;
    const r = spawnSync('bash', ['-c', `ulimit -f 8; exec node --import tsx -e "$0"`, script], {
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(new RegExp(`^cannot write ${target}: .*(EFBIG|too large)`, 'i'));
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(readdirSync(dir).filter((f) => f.includes('big.json'))).toEqual(['big.json']);
  });
});

describe('every command checks where it writes before it starts', () => {
  it('refuses a bad --json, --out with one error line and exit 2', async () => {
    const { runCli } = await import('./testing/runCli');
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const cases: [string[], string][] = [
      [['plan', '--json', join(dir, 'nodir', 'x.json')], `the folder ${join(dir, 'nodir')} does not exist`],
      [['export-onnx', '--out', join(file, 'x.onnx')], `${file} is a file, not a folder`],
      [['profile', '--out', '/proc/x.json'], 'cannot create a file in /proc'],
    ];
    for (const [argv, why] of cases) {
      const r = await runCli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(why);
    }
  });
});
