import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../testing/sampleReport';
import { csvField, OP_COLUMNS, opsCsv, POINT_COLUMNS, pointsCsv } from './csv';

/** A minimal RFC 4180 reader: records of fields, quotes undone. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field, 'the text ends with CRLF').toBe('');
  return rows;
}

describe('pointsCsv', () => {
  it('writes one row per point, with empty fields for what a point lacks', () => {
    const r = sampleReport();
    const rows = readCsv(pointsCsv(r));
    expect(rows[0]).toEqual([...POINT_COLUMNS]);
    expect(rows).toHaveLength(1 + r.points.length);
    const [, view2, , fused, copy] = rows;
    const p = r.points[0]!;
    expect(view2).toEqual([
      'view',
      'minimal',
      '2',
      String(p.predicted!.peakBytes),
      String(p.predicted!.floorBytes),
      String(p.measured!.peakLiveBytes),
      String(p.measured!.peakReservedBytes),
      '0',
      '25',
      '-0.25',
      '',
      '',
    ]);
    expect(fused!.slice(5, 10)).toEqual(['', '', '', '', '']);
    expect(fused!.slice(10)).toEqual(['oom', 'session: Failed to create GPU buffer']);
    expect(copy!.slice(3, 5)).toEqual(['', '']);
  });
});

describe('opsCsv', () => {
  it('writes one row per op of the chosen side', () => {
    const r = sampleReport();
    const p = r.points[1]!;
    const rows = readCsv(opsCsv(r, p, 'measured'));
    expect(rows[0]).toEqual([...OP_COLUMNS]);
    expect(rows.map((x) => x[0])).toEqual(['node', ...p.measured!.ops.map((o) => o.node)]);
    expect(rows[1]).toEqual([
      'input',
      'Input',
      'forward',
      'input',
      '8192',
      '0',
      String(16_896 + 8192),
      '',
      'input [4,16,32] float',
    ]);
    expect(rows[2]![7]).toBe('0.25');
    expect(readCsv(opsCsv(r, p, 'predicted')).every((x, i) => i === 0 || x[7] === '')).toBe(true);
  });

  it('names the point and why when the side asked for is missing', () => {
    const r = sampleReport();
    expect(() => opsCsv(r, r.points[2]!, 'measured')).toThrow(
      'point fused/minimal@2 has no measurement (oom: session: Failed to create GPU buffer)',
    );
    expect(() => opsCsv(r, r.points[3]!, 'predicted')).toThrow(/copy\/tape@2 has no plan \(invalid-config/);
  });

  it('quotes per RFC 4180 and defuses formulas in names', () => {
    const hostile = [
      '=HYPERLINK("http://x","y")',
      '+1',
      '-2+3',
      '@SUM(A1)',
      '\tTAB',
      'a,b',
      'say "hi"',
      'two\nlines',
    ];
    let k = 0;
    const names = new Map<string, string>();
    const r = sampleReport({
      rename: (n) => names.get(n) ?? (names.set(n, hostile[k++ % hostile.length]!), names.get(n)!),
    });
    const text = opsCsv(r, r.points[0]!, 'predicted');
    const rows = readCsv(text);
    const nodes = rows.slice(1).map((x) => x[0]);
    expect(nodes).toEqual(['\'=HYPERLINK("http://x","y")', "'+1", "'-2+3", "'@SUM(A1)", "'\tTAB"]);
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
    // No field, once read back, starts with a formula character.
    for (const row of rows) for (const f of row) expect(f).not.toMatch(/^[=+\-@\t\r]/);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(null)).toBe('');
  });
});
