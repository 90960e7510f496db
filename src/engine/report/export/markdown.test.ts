import { describe, expect, it } from 'vitest';
import { formatBytes as fmt } from '../bytes';
import { createReport } from '../report';
import { sampleReport } from '../../testing/sampleReport';
import { escapeMarkdown, reportMarkdown } from './markdown';

/** The cells of the Markdown table rows after the line starting with `head`, split on unescaped `|`. */
function tableAfter(md: string, head: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(head));
  expect(start, head).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(2, -2).split(/(?<!\\) \| /));
  }
  return rows;
}

describe('reportMarkdown', () => {
  it('summarises configuration, device, peaks, errors, ops and provenance', () => {
    const r = sampleReport();
    const md = reportMarkdown(r);
    expect(md).toContain('- **Model:** preset tiny: attention-only, seq 16, embd 32, heads 4, layers 1');
    expect(md).toContain('- **dtype:** f32 · **allocator:** lazy · **chunk:** 64');
    expect(md).toContain(
      '- **Device:** google swiftshader (vendor google, architecture swiftshader); maxBufferSize 1.00 GiB',
    );
    expect(md).toContain('4 points: 2 measured, 0 planned only, 2 with an error');
    const peaks = tableAfter(md, '| strategy | retention | B=2 | B=4 |');
    const [v2, v4] = [r.points[0]!, r.points[1]!];
    expect(peaks.slice(2)).toEqual([
      [
        'view',
        'minimal',
        `${fmt(v2.predicted!.peakBytes)} / ${fmt(v2.measured!.peakLiveBytes)}`,
        `${fmt(v4.predicted!.peakBytes)} / ${fmt(v4.measured!.peakLiveBytes)}`,
      ],
      ['fused', 'minimal', `${fmt(r.points[2]!.predicted!.peakBytes)} / ✗ oom`, ''],
      ['copy', 'tape', '— / ✗ invalid-config', ''],
    ]);
    expect(md).toContain('- fused/minimal@2: oom: session\\: Failed to create GPU buffer');
    expect(md).toContain('The report has no max batch (it was made without a budget)');
    // Costliest ops: at the largest measured peak (batch 4), measured, sorted by allocated bytes.
    expect(md).toContain('Point view/minimal@4 (the largest measured peak): measured peak');
    const ops = tableAfter(md, '| step | node |').slice(2);
    const alloc = v4.measured!.ops.map((o) => o.allocBytes);
    expect(ops).toHaveLength(v4.measured!.ops.length);
    expect(ops.map((x) => Number(x[0]))).toEqual(
      alloc
        .map((a, i) => ({ a, i }))
        .sort((x, y) => y.a - x.a || x.i - y.i)
        .map((x) => x.i),
    );
    expect(md).toContain('Headroom 0.1.0, report schema version 2, written 2026-12-02T00:58:39.018Z');
  });

  it('uses planned peaks and ops when nothing was measured, and one column past many batches', () => {
    const base = sampleReport({ measured: false });
    const md = reportMarkdown(base);
    expect(md).toContain('Planned peak live bytes (no point was measured)');
    expect(md).toContain('(the largest planned peak; no point was measured): planned peak');
    const many = createReport({
      ...base,
      createdAt: new Date(base.createdAt),
      points: [1, 2, 3, 4, 5, 6, 7].map((b) => ({ ...base.points[0]!, batch: b })),
    });
    const md2 = reportMarkdown(many);
    expect(md2).toContain('7 batches were swept (1 to 7); the table shows the largest.');
    expect(tableAfter(md2, '| strategy | retention |')[0]).toEqual(['strategy', 'retention', 'B=7']);
  });

  it('takes the max batch from the report, or computes it from the points for a budget, and says which', () => {
    const withMax = reportMarkdown(sampleReport({ maxBatch: true }));
    expect(withMax).toContain('From the report (computed from the plan at every batch');
    expect(tableAfter(withMax, '| strategy | retention | budget |').slice(2)[0]).toEqual([
      'view',
      'minimal',
      '1.00 MiB',
      '57',
      'budget',
    ]);
    const r = sampleReport();
    const [v2, v4] = [r.points[0]!, r.points[1]!];
    const budget = Math.floor((v2.measured!.peakLiveBytes + v4.measured!.peakLiveBytes) / 2);
    const computed = reportMarkdown(r, { budgetBytes: budget });
    expect(computed).toContain("Computed from the report's points for a budget of");
    const rows = tableAfter(computed, '| strategy | retention | max batch swept |').slice(2);
    expect(rows[0]).toEqual(['view', 'minimal', '2', `${fmt(v2.measured!.peakLiveBytes)} (measured)`]);
    expect(rows[1]).toEqual(['fused', 'minimal', '2', `${fmt(r.points[2]!.predicted!.peakBytes)} (planned)`]);
    expect(rows[2]).toEqual(['copy', 'tape', 'none', '']);
  });

  it('escapes HTML and Markdown in every name', () => {
    const names = [
      '<img src=x onerror=alert(1)>',
      'a|b',
      '**bold**',
      '[link](http://x)',
      '@everyone',
      '`code`',
    ];
    let k = 0;
    const map = new Map<string, string>();
    const r = sampleReport({
      rename: (n) => map.get(n) ?? (map.set(n, names[k++ % names.length]!), map.get(n)!),
    });
    const md = reportMarkdown(r);
    expect(md).not.toMatch(/<[a-z/!]/i);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('a\\|b');
    expect(md).toContain('\\*\\*bold\\*\\*');
    expect(md).toContain('\\[link\\](http\\://x)');
    expect(md).toContain('\\@everyone');
    expect(escapeMarkdown('`code` $x$ ~~s~~')).toBe('\\`code\\` \\$x\\$ \\~\\~s\\~\\~');
    // Every row of the ops table keeps its 8 columns: no name broke out of its cell.
    for (const row of tableAfter(md, '| step | node |')) expect(row).toHaveLength(8);
    expect(escapeMarkdown('x\ny')).toBe('x y');
    expect(escapeMarkdown('a'.repeat(500))).toHaveLength(160);
  });
});
