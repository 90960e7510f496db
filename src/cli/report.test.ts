/** `headroom report`: every format, gzip both ways, and every file or flag it refuses. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../engine/models/spec';
import { opsCsv, pointsCsv } from '../engine/report/export/csv';
import { decodeReport, encodeReport, MAX_REPORT_FILE_BYTES } from '../engine/report/io';
import { createReport, type Report } from '../engine/report/report';
import { memorySnapshot } from '../engine/report/export/snapshot';
import { readPickle } from '../engine/report/pickle/reader';
import { sampleReport } from '../engine/testing/sampleReport';
import { exportOnnx } from './exportOnnx';
import { specOfPoint } from './report';
import { runCli } from './testing/runCli';

const dir = mkdtempSync(join(tmpdir(), 'headroom-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** Saves a report as a report file (version 2, as the tools write it), or bytes or text as they are. */
function save(name: string, r: Report | string | Uint8Array): string {
  writeFileSync(at(name), typeof r === 'string' || r instanceof Uint8Array ? r : fileOf(r));
  return at(name);
}

const report = sampleReport();
/** The report file of each report the tests write: encodeReport is async, so worked out up front. */
const files = new Map<Report, Uint8Array>();
const fileOf = (r: Report): Uint8Array => {
  const f = files.get(r);
  if (!f) throw new Error('encode the report first: await encoded(r)');
  return f;
};
const encoded = async (r: Report): Promise<Report> => {
  files.set(r, await encodeReport(r));
  return r;
};
await encoded(report);
/** A report's file as JSON (to break one field of it). */
const fileJson = (r: Report) =>
  JSON.parse(new TextDecoder().decode(fileOf(r))) as Record<string, unknown> & { points: object[] };
const input = save('report.json', report);
const read = (name: string) => readFileSync(at(name), 'utf8');

/** Runs `headroom report` and expects it to refuse with exit 2 and exactly one `error:` line. */
async function refused(args: string[], message: string | RegExp) {
  const { code, stdout, stderr } = await runCli('report', ...args);
  expect(code, stderr).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]!.slice('error: '.length)).toMatch(message);
}

describe('headroom report', () => {
  it('round-trips json -> json.gz -> json, telling gzip from JSON by the bytes', async () => {
    const a = await runCli('report', input, '--format', 'json', '--out', at('r.json.gz'));
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toBe(
      `wrote ${at('r.json.gz')}: ${readFileSync(at('r.json.gz')).length.toLocaleString('en-US')} bytes (json, gzip)\n`,
    );
    const gz = readFileSync(at('r.json.gz'));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(await decodeReport(new Uint8Array(gz))).toEqual(report);
    // A gzipped report named .json is still read as gzip: the name does not decide.
    save('gz-named.json', gz);
    const b = await runCli('report', at('gz-named.json'), '--format', 'json', '--out', at('back.json'));
    expect(b.code, b.stderr).toBe(0);
    expect(await decodeReport(new Uint8Array(readFileSync(at('back.json'))))).toEqual(report);
    // And a gzip made by another tool (zlib) reads too.
    save('zlib.json.gz', gzipSync(fileOf(report)));
    expect((await runCli('report', at('zlib.json.gz'), '--format', 'json', '--out', at('z.json'))).code).toBe(
      0,
    );
    expect(await decodeReport(new Uint8Array(readFileSync(at('z.json'))))).toEqual(report);
  });

  it('writes csv: the points, or the ops of --point (measured by default, planned with --ops)', async () => {
    expect((await runCli('report', input, '--format', 'csv', '--out', at('points.csv'))).code).toBe(0);
    expect(read('points.csv')).toBe(pointsCsv(report));
    const p = report.points[0]!;
    const ops = await runCli('report', input, '--format', 'csv', '--point', 'view/minimal@2', '--out', '-');
    expect(ops.code, ops.stderr).toBe(0);
    expect(ops.stdout).toBe(opsCsv(report, p, 'measured'));
    const planned = await runCli(
      'report',
      input,
      '--format',
      'csv',
      '--point',
      'view/minimal@2',
      '--ops',
      'planned',
      '--out',
      '-',
    );
    expect(planned.stdout).toBe(opsCsv(report, p, 'predicted'));
    expect((await runCli('report', input, '--format', 'csv', '--out', at('points.csv.gz'))).code).toBe(0);
    expect(gunzipSync(readFileSync(at('points.csv.gz'))).toString('utf8')).toBe(pointsCsv(report));
  });

  it('writes md, with a budget for the max batch', async () => {
    const { code, stdout } = await runCli(
      'report',
      input,
      '--format',
      'md',
      '--budget',
      '1MiB',
      '--out',
      '-',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## Headroom report\n/);
    expect(stdout).toContain("Computed from the report's points for a budget of 1.00 MiB");
    expect(stdout).toContain('Point view/minimal@4 (the largest measured peak)');
    const chosen = await runCli(
      'report',
      input,
      '--format',
      'md',
      '--point',
      'fused/minimal@2',
      '--out',
      '-',
    );
    expect(chosen.stdout).toContain('Point fused/minimal@2 (the point asked for): planned peak');
  });

  it('writes a trace of the point asked for, or of the largest peak, saying so', async () => {
    const byDefault = await runCli('report', input, '--format', 'trace', '--out', at('trace.json'));
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stderr.split('\n')[0]).toMatch(
      /^report: no --point given: using view\/minimal@4, the point with the largest measured peak \(/,
    );
    const t = JSON.parse(read('trace.json'));
    expect(t.metadata).toMatchObject({ point: 'view/minimal@4', ops: 'measured', timing: 'gpuMs' });
    expect(t.traceEvents.filter((e: { ph: string }) => e.ph === 'X')).toHaveLength(
      report.points[1]!.measured!.ops.length,
    );
    const chosen = await runCli(
      'report',
      input,
      '--format',
      'trace',
      '--point',
      'fused/minimal@2',
      '--out',
      at('t2.json'),
    );
    expect(chosen.stderr).not.toContain('no --point given');
    expect(JSON.parse(read('t2.json')).metadata).toMatchObject({
      point: 'fused/minimal@2',
      ops: 'predicted',
      timing: 'uniform-1ms',
    });
  });

  it('writes a memory snapshot of the point, gzipped on request', async () => {
    // The file is the exporter's pickle of the chosen point (the largest by default).
    const r = report;
    const byRef = (ref: string) => r.points.find((p) => `${p.strategy}/${p.retention}@${p.batch}` === ref)!;
    expect((await runCli('report', input, '--format', 'snapshot', '--out', at('snap.pickle'))).code).toBe(0);
    expect(new Uint8Array(readFileSync(at('snap.pickle')))).toEqual(
      memorySnapshot(r, byRef('view/minimal@4')),
    );
    expect(readPickle(new Uint8Array(readFileSync(at('snap.pickle'))))).toBeInstanceOf(Map);
    const gz = await runCli(
      'report',
      input,
      '--format',
      'snapshot',
      '--point',
      'view/minimal@2',
      '--out',
      at('snap.pickle.gz'),
    );
    expect(gz.code, gz.stderr).toBe(0);
    expect(new Uint8Array(gunzipSync(readFileSync(at('snap.pickle.gz'))))).toEqual(
      memorySnapshot(r, byRef('view/minimal@2')),
    );
  });

  it("rebuilds the point's training graph from the report's model as ONNX", async () => {
    // Attention-only: the report has vocab, mlpRatio and activation null.
    const { code, stderr } = await runCli(
      'report',
      input,
      '--format',
      'onnx',
      '--point',
      'view/minimal@2',
      '--out',
      at('a.onnx'),
    );
    expect(code, stderr).toBe(0);
    const expected = await exportOnnx({
      spec: {
        model: { ...PRESETS.tiny, layers: 1, attentionOnly: true },
        strategy: 'view',
        retention: 'minimal',
        chunk: 64,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
      },
      batch: 2,
      paramsAsInputs: false,
    });
    expect(new Uint8Array(readFileSync(at('a.onnx')))).toEqual(new Uint8Array(expected.bytes));
    // A whole GPT, another strategy and retention, the chunk and dtype of the report.
    const gpt = createReport({
      ...report,
      createdAt: new Date(report.createdAt),
      model: { preset: null, ...PRESETS.tiny, layers: 1, activation: 'relu' },
      dtype: 'f16',
      optimizer: 'none',
      microBatches: 1,
      chunk: 8,
      points: [{ ...report.points[0]!, strategy: 'chunked', retention: 'checkpoint' }],
    });
    const gptIn = save('gpt.json', await encoded(gpt));
    expect((await runCli('report', gptIn, '--format', 'onnx', '--out', at('g.onnx.gz'))).code).toBe(0);
    const spec = specOfPoint(gpt, gpt.points[0]!);
    expect(spec).toEqual({
      model: { ...PRESETS.tiny, layers: 1, activation: 'relu' },
      strategy: 'chunked',
      retention: 'checkpoint',
      chunk: 8,
      dtype: 'f16',
      optimizer: 'none',
      microBatches: 1,
      loss: 'standard',
      lossChunk: 128,
    });
    const g = await exportOnnx({ spec, batch: 2, paramsAsInputs: false });
    expect(new Uint8Array(gunzipSync(readFileSync(at('g.onnx.gz'))))).toEqual(new Uint8Array(g.bytes));
  });

  describe('refuses, with exit 2 and one error line', () => {
    it('a file it cannot read as a report', async () => {
      const out = ['--format', 'json', '--out', at('never.json')];
      await refused([at('missing.json'), ...out], `${at('missing.json')}: no such file`);
      mkdirSync(at('folder.json'));
      await refused([at('folder.json'), ...out], `${at('folder.json')} is not a file`);
      const big = save('big.json', '');
      truncateSync(big, MAX_REPORT_FILE_BYTES + 1);
      await refused([big, ...out], /big\.json is .*, over the .* a report file may have$/);
      await refused([save('text.json', 'hello, world\n'), ...out], /text\.json: .*JSON/);
      await refused(
        [save('bad.json.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6])), ...out],
        /bad\.json\.gz: .*gzip/,
      );
      await refused(
        [save('invalid.json', JSON.stringify({ ...fileJson(report), createdAt: 'yesterday' })), ...out],
        /invalid\.json: not a valid Headroom report \(schemaVersion 2\): createdAt: /,
      );
      // A message spread over lines in the file still prints as one line.
      await refused(
        [
          save(
            'lines.json',
            JSON.stringify({
              ...fileJson(report),
              points: [{ ...fileJson(report).points[0], strategy: 'a\nb' }],
            }),
          ),
          ...out,
        ],
        /lines\.json: not a valid Headroom report.*strategy/,
      );
      expect(existsSync(at('never.json'))).toBe(false);
    });

    it('a bad --point, or a point-only format without a point', async () => {
      const out = ['--format', 'trace', '--out', at('never.json')];
      await refused(
        [input, ...out, '--point', 'view'],
        '--point: a point is written strategy/retention@batch (e.g. view/minimal@8), got "view"',
      );
      await refused(
        [input, ...out, '--point', 'view/minimal@8'],
        /^--point: no point view\/minimal@8 in the report; it has view\/minimal@2, /,
      );
      await refused([input, ...out, '--point', 'flash/minimal@2'], /^--point: unknown strategy "flash"/);
      const empty = save(
        'empty.json',
        await encoded(createReport({ ...report, createdAt: new Date(report.createdAt), points: [] })),
      );
      await refused([empty, ...out], `--format trace describes one point, and ${empty} has no points`);
      await refused(
        [empty, '--format', 'onnx', '--out', at('never.onnx')],
        /--format onnx describes one point/,
      );
      const unplanned = save(
        'unplanned.json',
        await encoded(
          createReport({ ...report, createdAt: new Date(report.createdAt), points: [report.points[3]!] }),
        ),
      );
      await refused(
        [unplanned, '--format', 'snapshot', '--out', at('never.pickle')],
        /no point of .* was planned or measured/,
      );
      await refused(
        [input, ...out, '--point', 'fused/minimal@2', '--ops', 'measured'],
        'point fused/minimal@2 has no measurement (oom: session: Failed to create GPU buffer)',
      );
      expect(existsSync(at('never.json'))).toBe(false);
    });

    it('flags that do not fit', async () => {
      await refused(
        [input, '--format', 'xml', '--out', at('x')],
        /^--format must be one of json, csv, md, trace, snapshot, onnx, got "xml"/,
      );
      await refused(
        [input, '--format', 'json', '--point', 'view/minimal@2', '--out', at('x')],
        '--point applies to --format csv, md, trace, snapshot, onnx, not json',
      );
      await refused(
        [input, '--format', 'csv', '--ops', 'measured', '--out', at('x')],
        '--ops chooses the op records of a point: give --point too',
      );
      await refused(
        [input, '--format', 'trace', '--ops', 'both', '--out', at('x')],
        /^--ops must be one of planned, measured/,
      );
      await refused(
        [input, '--format', 'md', '--budget', '6G', '--out', at('x')],
        /^--budget has an unknown unit/,
      );
      await refused(
        [input, '--format', 'onnx', '--out', '-'],
        '--out - is not supported for onnx: the output is binary, give a file path',
      );
      await refused(
        [input, '--format', 'json', '--out', join(dir, 'nowhere', 'x.json')],
        /^--out .*the folder .*nowhere does not exist/,
      );
      const missing = await runCli('report', input, '--out', at('x'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/required option '--format <name>' not specified/);
    });
  });
});
