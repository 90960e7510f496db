/**
 * A report as a Markdown summary to paste into a forum post or a GitHub issue: the configuration,
 * the device, peak memory per strategy × retention × batch, the max batch for a budget, the
 * costliest ops at the peak, and how the report was made.
 *
 * Every name in the report (model preset, adapter, node, scope, error message...) comes from a file
 * and is escaped: HTML's `&`, `<` and `>` become entities (a node named `<img onerror=...>` is
 * shown as text, never rendered), Markdown's punctuation is backslash-escaped (no emphasis, links,
 * table cells broken by `|`, @mentions or math), line breaks become spaces, and long names are cut.
 */
import { formatBytes } from '../bytes';
import type { MaxBatch, Report } from '../report';
import type { OpRecord, Point } from '../schema';
import { defaultPoint, pointRef, stepPeak, type DefaultPoint } from './pick';

/** Past this many batches the peak table shows the largest batch only. */
export const MAX_BATCH_COLUMNS = 6;
/** Rows of the costliest-ops table. */
export const TOP_OPS = 10;
const MAX_TEXT = 160;

/** `text` safe to place anywhere inside a Markdown line (not only in code spans). */
export function escapeMarkdown(text: string): string {
  const one = text.replace(/[\r\n\t]+/g, ' ');
  const cut = one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 1)}…` : one;
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]|~@$:#!]/g, '\\$&');
}

const e = escapeMarkdown;

function table(head: readonly string[], rows: readonly string[][], right: readonly number[] = []): string {
  const align = head.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function modelLine(r: Report): string {
  const m = r.model;
  const kind = m.attentionOnly
    ? 'attention-only'
    : `GPT (vocab ${m.vocab}, MLP ×${m.mlpRatio}, ${m.activation})`;
  const preset = m.preset === null ? 'custom' : `preset ${e(m.preset)}`;
  return `${preset}: ${kind}, seq ${m.seq}, embd ${m.embd}, heads ${m.heads}, layers ${m.layers}`;
}

function deviceLine(r: Report): string {
  const d = r.device;
  if (!d) return 'none recorded (a plan, or a page without WebGPU)';
  const limits =
    `maxBufferSize ${formatBytes(d.limits.maxBufferSize)}, ` +
    `maxStorageBufferBindingSize ${formatBytes(d.limits.maxStorageBufferBindingSize)}`;
  return `${e(d.adapter)} (vendor ${e(d.vendor) || '?'}, architecture ${e(d.architecture) || '?'}); ${limits}`;
}

const combos = (r: Report) => {
  const seen = new Map<string, Pick<Point, 'strategy' | 'retention'>>();
  for (const p of r.points)
    seen.set(`${p.strategy}/${p.retention}`, { strategy: p.strategy, retention: p.retention });
  return [...seen.values()];
};

function countLine(r: Report): string {
  const measured = r.points.filter((p) => p.measured).length;
  const plannedOnly = r.points.filter((p) => p.predicted && !p.measured && !p.error).length;
  const withError = r.points.filter((p) => p.error).length;
  return `${r.points.length} points: ${measured} measured, ${plannedOnly} planned only, ${withError} with an error`;
}

function peakSection(r: Report): string[] {
  if (r.points.length === 0) return ['The report has no points.'];
  const measured = r.points.some((p) => p.measured);
  const batches = [...new Set(r.points.map((p) => p.batch))].sort((a, b) => a - b);
  const shown = batches.length > MAX_BATCH_COLUMNS ? [batches[batches.length - 1]!] : batches;
  const cell = (p: Point | undefined): string => {
    if (!p) return '';
    const planned = p.predicted ? formatBytes(p.predicted.peakBytes) : '—';
    const run = p.measured ? formatBytes(p.measured.peakLiveBytes) : p.error ? `✗ ${p.error.code}` : '—';
    if (measured) return `${planned} / ${run}`;
    return p.error && !p.predicted ? `✗ ${p.error.code}` : planned;
  };
  const rows = combos(r).map((c) => [
    c.strategy,
    c.retention,
    ...shown.map((b) =>
      cell(r.points.find((p) => p.strategy === c.strategy && p.retention === c.retention && p.batch === b)),
    ),
  ]);
  const out = [
    measured
      ? 'Peak live bytes, planned / measured (✗ code: the point has an error; — : none):'
      : 'Planned peak live bytes (no point was measured):',
  ];
  if (shown.length < batches.length)
    out.push(
      `${batches.length} batches were swept (${batches[0]} to ${shown[0]}); the table shows the largest.`,
    );
  out.push(
    '',
    table(
      ['strategy', 'retention', ...shown.map((b) => `B=${b}`)],
      rows,
      shown.map((_, i) => i + 2),
    ),
  );
  const errors = r.points.filter((p) => p.error);
  if (errors.length) {
    out.push('', 'Errors:', '');
    for (const p of errors.slice(0, 20))
      out.push(`- ${pointRef(p)}: ${p.error!.code}: ${e(p.error!.message)}`);
    if (errors.length > 20) out.push(`- and ${errors.length - 20} more`);
  }
  return out;
}

function maxBatchSection(r: Report, budgetBytes: number | undefined): string[] {
  const entries: MaxBatch[] =
    budgetBytes === undefined ? r.maxBatch : r.maxBatch.filter((m) => m.budgetBytes === budgetBytes);
  if (entries.length) {
    return [
      'From the report (computed from the plan at every batch, not only the batches swept):',
      '',
      table(
        ['strategy', 'retention', 'budget', 'max batch', 'limited by'],
        entries.map((m) => [
          m.strategy,
          m.retention,
          formatBytes(m.budgetBytes),
          String(m.batch),
          m.limitedBy === 'budget' ? 'budget' : 'buffer limit',
        ]),
        [2, 3],
      ),
    ];
  }
  if (budgetBytes === undefined)
    return ['The report has no max batch (it was made without a budget) and none was asked for.'];
  const rows = combos(r).map((c) => {
    let best: { batch: number; bytes: number; by: string } | null = null;
    for (const p of r.points) {
      if (p.strategy !== c.strategy || p.retention !== c.retention) continue;
      const bytes = p.measured?.peakLiveBytes ?? p.predicted?.peakBytes;
      if (bytes === undefined || bytes > budgetBytes || (best && best.batch > p.batch)) continue;
      best = { batch: p.batch, bytes, by: p.measured ? 'measured' : 'planned' };
    }
    return [
      c.strategy,
      c.retention,
      best ? String(best.batch) : 'none',
      best ? `${formatBytes(best.bytes)} (${best.by})` : '',
    ];
  });
  return [
    `Computed from the report's points for a budget of ${formatBytes(budgetBytes)} (the report has no max batch for it): ` +
      'the largest batch swept whose peak fits, measured where measured, else planned. ' +
      'The true max batch may lie between the batches swept.',
    '',
    table(['strategy', 'retention', 'max batch swept', 'its peak'], rows, [2, 3]),
  ];
}

function opsSection(chosen: DefaultPoint | null, point: Point | undefined): string[] {
  const p = point ?? chosen?.point;
  const side = p?.measured ? 'measured' : p?.predicted ? 'planned' : null;
  if (!p || !side) return ['No point has op records.'];
  const ops: readonly OpRecord[] = (p.measured ?? p.predicted)!.ops;
  const peak = stepPeak(ops);
  const why = point
    ? 'the point asked for'
    : chosen!.by === 'measured'
      ? 'the largest measured peak'
      : 'the largest planned peak; no point was measured';
  const top = ops
    .map((o, i) => ({ o, i }))
    .sort((a, b) => b.o.allocBytes - a.o.allocBytes || a.i - b.i)
    .slice(0, TOP_OPS);
  return [
    `Point ${pointRef(p)} (${why}): ${side} peak ${formatBytes(peak.bytes)} during ${peak.node === null ? '—' : e(peak.node)}. ` +
      `The ${top.length} ops allocating the most (${side}):`,
    '',
    table(
      ['step', 'node', 'op', 'phase', 'scope', 'allocated', 'live after', 'outputs'],
      top.map(({ o, i }) => [
        String(i),
        e(o.node),
        e(o.opType),
        o.phase,
        e(o.scope),
        formatBytes(o.allocBytes),
        formatBytes(o.liveBytesAfter),
        e(o.outputs.map((t) => `[${t.shape.join(',')}] ${t.dtype}`).join(', ')),
      ]),
      [0, 5, 6],
    ),
  ];
}

export interface MarkdownOptions {
  /** A budget for the max-batch section when the report has none for it. */
  budgetBytes?: number;
  /** The point whose costliest ops are listed (default: the largest measured, else planned, peak). */
  point?: Point;
}

/** The report as Markdown (GitHub-flavoured: tables), every name escaped. */
export function reportMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const lines = [
    `## Headroom report`,
    '',
    `- **Model:** ${modelLine(r)}`,
    `- **dtype:** ${r.dtype} · **allocator:** ${r.allocator} · **chunk:** ${r.chunk} (used by chunked only)`,
    `- **Device:** ${deviceLine(r)}`,
    `- **Points:** ${countLine(r)}`,
    '',
    '### Peak memory',
    '',
    ...peakSection(r),
    '',
    '### Max batch',
    '',
    ...maxBatchSection(r, opts.budgetBytes),
    '',
    '### Costliest ops',
    '',
    ...opsSection(defaultPoint(r), opts.point),
    '',
    '### How it was made',
    '',
    `Headroom ${e(r.tool.version)}, report schema version ${r.schemaVersion}, written ${r.createdAt}. ` +
      'Planned peaks are computed from the training graph without running it; measured ones come ' +
      'from one training step on WebGPU with every GPU buffer traced. Bytes in binary units (1 KiB = 1024 B).',
    '',
  ];
  return lines.join('\n');
}
