/** `headroom profile` without a GPU: flags, points, progress lines, the over-budget check. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SweepProgress } from '../engine/profile/sweep';
import type { Point } from '../engine/report/schema';
import { runCli } from './testing/runCli';
import { DEFAULTS } from './modelOptions';
import { formatMs, overBudget, parseProfileFlags, progressLine, type ProfileFlags } from './profile';

const dir = mkdtempSync(join(tmpdir(), 'headroom-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCli;

const flags = (over: Partial<ProfileFlags> = {}): ProfileFlags => ({
  ...DEFAULTS,
  out: join(dir, 'r.json'),
  allocator: 'lazy',
  repeat: '1',
  adapter: 'auto',
  ...over,
});

describe('headroom profile: bad flags exit 2 with one message, before any GPU work', () => {
  it.each<[string[], string]>([
    [[], "error: required option '--out <file>' not specified"],
    [['--out', ' '], 'error: --out must be a file path, or - for stdout'],
    [
      ['--out', '/no/such/folder/r.json'],
      'error: --out /no/such/folder/r.json: the folder /no/such/folder does not exist',
    ],
    [['--out', '.'], 'error: --out . is a folder, give a file path'],
    [['--allocator', 'pool'], 'error: --allocator must be one of lazy, bucket, got "pool"'],
    [
      ['--budget', '6G'],
      'error: --budget has an unknown unit "G" (say GiB or GB): use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB, got "6G"',
    ],
    [
      ['--budget', '-1'],
      'error: --budget must be a size in bytes, or with a unit such as 512MiB, 6GiB or 1.5GB, got "-1"',
    ],
    [['--fail-over-budget', '0KiB'], 'error: --fail-over-budget must be at least 1 byte, got "0KiB"'],
    [['--repeat', '0'], 'error: --repeat must be a positive integer, got "0"'],
    [['--repeat', 'twice'], 'error: --repeat must be a positive integer, got "twice"'],
    [['--adapter', 'metal'], 'error: --adapter must be one of auto, gpu, swiftshader, got "metal"'],
    [
      ['--strategy', 'copy,flash'],
      'error: --strategy must be one of copy, view, fused, chunked, got "flash"',
    ],
    [['--strategy', 'copy,copy'], 'error: --strategy lists "copy" twice'],
    [['--retention', 'minimal,'], 'error: --retention has an empty item in "minimal,"'],
    [['--batch', '1,0'], 'error: --batch must be a positive integer, got "0"'],
    [['--embd', '30'], 'error: embedding size 30 is not divisible by 4 heads'],
    [['--frobnicate'], "error: unknown option '--frobnicate'"],
  ])('%j', async (args, message) => {
    const withOut =
      args.length === 0 || args.includes('--out') ? args : ['--out', join(dir, 'r.json'), ...args];
    expect(await run('profile', ...withOut)).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('lists its flags and exit codes in --help', async () => {
    const r = await run('profile', '--help');
    expect(r.code).toBe(0);
    for (const flag of [
      '--allocator',
      '--budget',
      '--repeat',
      '--fail-over-budget',
      '--adapter',
      '--strategy <names>',
    ])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/3 a peak over --fail-over-budget/);
  });
});

describe('parseProfileFlags', () => {
  it('sweeps strategies, then retentions, then batches; maps the allocator to a cache mode', () => {
    const req = parseProfileFlags(
      flags({ strategy: 'fused,copy', retention: 'tape,minimal', batch: '2,1', allocator: 'bucket' }),
    );
    expect(req.points.map((p) => `${p.spec.strategy}/${p.spec.retention}/${p.batch}`)).toEqual([
      'fused/tape/2',
      'fused/tape/1',
      'fused/minimal/2',
      'fused/minimal/1',
      'copy/tape/2',
      'copy/tape/1',
      'copy/minimal/2',
      'copy/minimal/1',
    ]);
    expect([req.allocator, req.cacheMode, req.repeat, req.adapter]).toEqual(['bucket', 'bucket', 1, 'auto']);
    expect(req.budgetBytes).toBeUndefined();
  });

  it('reads sizes with units and defaults to the lazy allocator', () => {
    const req = parseProfileFlags(flags({ budget: '6GiB', failOverBudget: '1.5GB', repeat: '3', out: '-' }));
    expect([req.cacheMode, req.budgetBytes, req.failOverBytes, req.repeat, req.out]).toEqual([
      'lazyRelease',
      6 * 2 ** 30,
      1.5e9,
      3,
      '-',
    ]);
  });
});

const progress = (status: SweepProgress['status'], result?: Partial<Point>): SweepProgress => ({
  index: 2,
  total: 16,
  point: {
    spec: {
      model: {
        vocab: 1,
        seq: 1,
        embd: 1,
        heads: 1,
        layers: 1,
        mlpRatio: 1,
        activation: 'relu',
        attentionOnly: true,
      },
      strategy: 'fused',
      retention: 'minimal',
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      microBatches: 1,
    },
    batch: 2,
  },
  status,
  ...(result
    ? {
        result: {
          strategy: 'fused',
          retention: 'minimal',
          batch: 2,
          predicted: null,
          measured: null,
          error: null,
          ...result,
        },
      }
    : {}),
});
const measured = (peakLiveBytes: number, unattributedBytes = 0): Point['measured'] => ({
  peakLiveBytes,
  peakReservedBytes: 1.9 * 2 ** 20,
  unattributedBytes,
  stepMs: 23.4,
  loss: 1,
  ops: [],
});

describe('progress lines', () => {
  it('one line per point that ended', () => {
    expect(progressLine(progress('start'))).toBeNull();
    expect(progressLine(progress('measured', { measured: measured(1.2 * 2 ** 20) }))).toBe(
      '[3/16] fused/minimal @ batch 2: peak live 1.2 MiB, reserved 1.9 MiB, 23 ms',
    );
    expect(progressLine(progress('measured', { measured: measured(1000, 24) }))).toBe(
      '[3/16] fused/minimal @ batch 2: peak live 1000 B, reserved 1.9 MiB, 23 ms, 24 B unattributed',
    );
    expect(
      progressLine(
        progress('skipped', {
          error: { code: 'cancelled', message: 'the sweep was cancelled before this point' },
        }),
      ),
    ).toBe('[3/16] fused/minimal @ batch 2: skipped: cancelled: the sweep was cancelled before this point');
    expect(
      progressLine(progress('failed', { error: { code: 'session', message: 'session: bad\nstack' } })),
    ).toBe('[3/16] fused/minimal @ batch 2: FAILED: session: session: bad');
  });

  it('keeps both ends of a long onnxruntime message: where it failed, and why', () => {
    const ort =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/shader_helper.cc:308 onnxruntime::common::Status ' +
      `onnxruntime::webgpu::ShaderHelper::${'Validate'.repeat(40)}() Too many storage buffers in shader. Current: 9, Max is 8`;
    const line = progressLine(progress('failed', { error: { code: 'session', message: ort } }));
    expect(line).toMatch(
      /^\[3\/16\] fused\/minimal @ batch 2: FAILED: session: \/onnxruntime_src\/.* … .*Too many storage buffers in shader\. Current: 9, Max is 8$/,
    );
    expect(line!.length).toBeLessThan(360);
  });

  it('formats step times', () => {
    expect([formatMs(3.21), formatMs(23.4), formatMs(999), formatMs(42712)]).toEqual([
      '3.2 ms',
      '23 ms',
      '999 ms',
      '42.7 s',
    ]);
  });
});

describe('overBudget', () => {
  it('is the measured points whose peak live bytes exceed the size', () => {
    const pts = [measured(1024), measured(1025), null].map(
      (m) => progress('measured', { measured: m }).result!,
    );
    expect(overBudget(pts, 1024)).toEqual([pts[1]]);
  });
});
