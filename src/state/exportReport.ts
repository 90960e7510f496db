/**
 * The page's measured points as a report (docs/report-format.md, validated), its file name and its
 * file bytes (schemaVersion 2). Loaded on the first Export click: it brings zod with it.
 */
import { encodeReport } from '../engine/report/io';
import { createReport, reportModel, type Report } from '../engine/report/report';
import type { AppState } from './store';

export function reportOf(s: Pick<AppState, 'measuredConfig' | 'measured' | 'webgpu'>): Report | null {
  const c = s.measuredConfig;
  if (!c || s.measured.length === 0) return null;
  return createReport({
    device: s.webgpu?.device ?? null,
    model: reportModel(c.preset === 'custom' ? null : c.preset, c.model),
    dtype: c.dtype,
    allocator: c.allocator,
    chunk: c.chunk,
    points: [...s.measured].sort(
      (a, b) =>
        a.batch - b.batch || a.strategy.localeCompare(b.strategy) || a.retention.localeCompare(b.retention),
    ),
  });
}

export function reportFileName(r: Report): string {
  const m = r.model;
  const name = r.model.preset ?? `T${m.seq}-C${m.embd}-H${m.heads}-L${m.layers}`;
  return `headroom-${name}${m.attentionOnly ? '-attention' : ''}.json`;
}

/** The report file the page downloads: version 2 JSON, indented (lists of numbers on one line). */
export async function reportFileBytes(r: Report): Promise<Uint8Array> {
  return encodeReport(r, { pretty: true });
}
