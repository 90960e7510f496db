import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './testing/runCli';

const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCli;

describe('headroom', () => {
  it('prints help and the version with exit code 0', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('export-onnx');
    const sub = await run('export-onnx', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/--params-as-inputs/);
    expect(sub.stdout).toMatch(/gpt2-small +vocab 50257, seq 1024, embd 768, heads 12, layers 12/);
    expect((await run('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on an unknown command or no command', async () => {
    const r = await run('frobnicate');
    expect([r.code, r.stderr]).toEqual([2, "error: unknown command 'frobnicate'\n"]);
    expect((await run()).code).toBe(2);
  });
});

describe('headroom export-onnx: bad flags exit 2 with one message', () => {
  const out = () => join(dir, 'bad.onnx');
  it.each<[string[], string]>([
    [[], "error: required option '--out <file>' not specified"],
    [['--out'], "error: option '--out <file>' argument missing"],
    [['--out', '-'], 'error: --out - is not supported: the model is binary, give a file path'],
    [['--preset', 'huge'], 'error: --preset must be one of seed, gpt2-small, tiny, got "huge"'],
    [['--seq', '1.5'], 'error: --seq must be a positive integer, got "1.5"'],
    [['--layers', '0'], 'error: --layers must be a positive integer, got "0"'],
    [['--embd', '30'], 'error: embedding size 30 is not divisible by 4 heads'],
    [['--strategy', 'flash'], 'error: --strategy must be one of copy, view, fused, chunked, got "flash"'],
    [['--strategy', 'copy,view'], 'error: --strategy takes one value here, got "copy,view"'],
    [['--retention', 'keep'], 'error: --retention must be one of minimal, tape, checkpoint, got "keep"'],
    [['--batch', '2,4'], 'error: --batch takes one value here, got "2,4"'],
    [['--batch', 'x'], 'error: --batch must be a positive integer, got "x"'],
    [['--dtype', 'f64'], 'error: --dtype must be one of f32, f16, mixed, got "f64"'],
    [['--chunk', '0'], 'error: --chunk must be a positive integer, got "0"'],
    [['--frobnicate'], "error: unknown option '--frobnicate'"],
  ])('%j', async (args, message) => {
    const withOut = args.length === 0 || args.includes('--out') ? args : ['--out', out(), ...args];
    const r = await run('export-onnx', ...withOut);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('suggests the flag meant', async () => {
    const r = await run('export-onnx', '--out', out(), '--head', '4');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--head'\n(Did you mean --heads?)\n");
  });
});

describe('headroom export-onnx: an --out it cannot write is refused before building (exit 2)', () => {
  it('names the missing directory', async () => {
    const target = join(dir, 'missing', 'x.onnx');
    const r = await run('export-onnx', '--attention-only', '--out', target);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --out ${target}: the folder ${join(dir, 'missing')} does not exist\n`);
  });
});

describe('headroom export-onnx: parameters over the 2 GiB protobuf limit', () => {
  it('asks for --params-as-inputs (exit 2) before allocating them', async () => {
    const big = ['--attention-only', '--embd', '1536', '--heads', '12', '--layers', '64'];
    const r = await run('export-onnx', ...big, '--out', join(dir, 'big.onnx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: the parameters take 2,4\d\d,\d{3},\d{3} bytes, over ONNX's 2 GiB protobuf limit: use --params-as-inputs\n$/,
    );
  });
});
