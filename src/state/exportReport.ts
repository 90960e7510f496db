/** The page's measured points as a report (docs/report-format.md, validated), and its file name. */
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
