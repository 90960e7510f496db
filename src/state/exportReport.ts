/** The page's results as a report (docs/report-format.md, validated), and its file name. */
import { attentionLayerModel } from '../engine/models/config';
import { createReport, type Report } from '../engine/report/report';
import type { AppState } from './store';

export function reportOf(s: Pick<AppState, 'measuredConfig' | 'results' | 'webgpu'>): Report | null {
  const m = s.measuredConfig;
  if (!m || s.results.length === 0) return null;
  return createReport({
    device: s.webgpu?.device ?? null,
    model: { preset: null, ...attentionLayerModel(m) },
    dtype: 'f32',
    allocator: 'lazy',
    chunk: m.chunk,
    points: [...s.results].sort((a, b) => a.batch - b.batch || a.strategy.localeCompare(b.strategy)),
  });
}

export function reportFileName(r: Report): string {
  const m = r.model;
  return `headroom-T${m.seq}-C${m.embd}-H${m.heads}-${r.points[0]?.retention ?? 'minimal'}.json`;
}
