/** The page's results as a report (DESIGN.md schema, validated), and its file name. */
import { createReport, type Report } from '../engine/report/report';
import type { AppState } from './store';

export function reportOf(s: Pick<AppState, 'measuredConfig' | 'results' | 'webgpu'>): Report | null {
  const m = s.measuredConfig;
  if (!m || s.results.length === 0) return null;
  return createReport({
    device: s.webgpu?.device ?? null,
    model: {
      preset: null,
      vocab: 1,
      seq: m.seq,
      embd: m.embd,
      heads: m.heads,
      layers: 1,
      mlpRatio: 4,
      activation: 'relu',
      attentionOnly: true,
    },
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
