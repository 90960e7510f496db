/**
 * What the page exports, as a report (docs/report-format.md, validated): the measured points of
 * the configuration on screen (measured here or imported), else its plan alone — the step shown as
 * a `predicted` point (measured null) and every curve's max batch. Loaded on demand (zod).
 */
import type { StepDetail } from '../engine/explore/types';
import { createReport, reportModel, type MaxBatch, type Report } from '../engine/report/report';
import type { OpRecord, Point } from '../engine/report/schema';
import type { PageConfig } from './pageConfig';
import { measuredPointOf } from './measureSweep';
import { planKeyOf, type AppState } from './store';

const byPoint = (a: Point, b: Point) =>
  a.batch - b.batch || a.strategy.localeCompare(b.strategy) || a.retention.localeCompare(b.retention);

function reportOfConfig(
  c: PageConfig,
  device: Report['device'],
  points: Point[],
  maxBatch: MaxBatch[] = [],
): Report {
  return createReport({
    device,
    model: reportModel(c.preset === 'custom' ? null : c.preset, c.model),
    dtype: c.dtype,
    optimizer: c.optimizer,
    microBatches: c.microBatches,
    loss: c.loss,
    lossChunk: c.lossChunk,
    allocator: c.allocator,
    chunk: c.chunk,
    points: [...points].sort(byPoint),
    maxBatch,
  });
}

/** The measured points as a report (null when none); the device is the report's they came from, else this adapter. */
export function reportOf(
  s: Pick<AppState, 'measuredConfig' | 'measured' | 'webgpu'> & Partial<Pick<AppState, 'measuredFrom'>>,
): Report | null {
  const c = s.measuredConfig;
  if (!c || s.measured.length === 0) return null;
  const device = s.measuredFrom ? s.measuredFrom.device : (s.webgpu?.device ?? null);
  return reportOfConfig(c, device, s.measured);
}

/** A step's plan as a report point: `predicted` (its ops are the timeline's), nothing measured. */
export function plannedPoint(d: StepDetail): Point {
  const ops = d.timeline.map((r): OpRecord => ({
    node: r.node,
    opType: r.opType,
    phase: r.phase,
    scope: r.scope,
    allocBytes: r.allocBytes,
    freedBytes: r.freedBytes,
    liveBytesAfter: r.liveBytesAfter,
    outputs: r.outputs,
    gpuMs: r.gpuMs,
  }));
  return {
    strategy: d.combo.strategy,
    retention: d.combo.retention,
    batch: d.batch,
    predicted: {
      peakBytes: d.peakBytes,
      peakNode: d.peakNode,
      floorBytes: d.floorBytes ?? 0,
      byCategory: { ...d.byCategory },
      byScope: { ...d.byScope },
      ops,
    },
    measured: null,
    error: null,
  };
}

/** Every planned curve's max batch on the page's budget. */
export function maxBatchOf(s: Pick<AppState, 'config' | 'curves'>): MaxBatch[] {
  const budgetBytes = Math.round(s.config.budget.bytes);
  if (!(budgetBytes > 0)) return [];
  return s.config.combos.flatMap((combo) => {
    const curve = s.curves.byCombo[`${combo.strategy}/${combo.retention}`];
    if (!curve) return [];
    return [
      {
        strategy: combo.strategy,
        retention: combo.retention,
        budgetBytes,
        batch: curve.maxBatch,
        limitedBy: curve.binds === 'budget' ? ('budget' as const) : ('maxBufferSize' as const),
      },
    ];
  });
}

export type ExportOrigin = 'measured' | 'imported' | 'plan';

export interface ExportSource {
  /** The report every format is written from. */
  report: Report;
  /** The step shown, as a point of `report` (measured when it was, else planned); null when none is shown. */
  point: Point | null;
  origin: ExportOrigin;
}

type ExportState = Pick<
  AppState,
  | 'config'
  | 'curves'
  | 'step'
  | 'measured'
  | 'measuredConfig'
  | 'measuredConfigKey'
  | 'measuredFrom'
  | 'webgpu'
>;

/**
 * What the page exports now: the measured (or imported) points of the configuration on screen,
 * else its plan; and the step shown as one of the report's points. Null when there is nothing
 * (an invalid configuration still planning).
 */
export function exportSource(s: ExportState): ExportSource | null {
  const detail = s.step.detail;
  const key = planKeyOf(s.config);
  const step = detail && s.step.status !== 'error' ? detail : null;
  if (s.measuredConfigKey === key && s.measuredConfig && s.measured.length > 0) {
    const shown = step ? measuredPointOf(s.measured, { combo: step.combo, batch: step.batch }) : undefined;
    const point = shown ?? (step ? plannedPoint(step) : null);
    const points = shown || !point ? s.measured : [...s.measured, point];
    const device = s.measuredFrom ? s.measuredFrom.device : (s.webgpu?.device ?? null);
    return {
      report: reportOfConfig(s.measuredConfig, device, points, maxBatchOf(s)),
      point,
      origin: s.measuredFrom ? 'imported' : 'measured',
    };
  }
  const maxBatch = maxBatchOf(s);
  if (!step && maxBatch.length === 0) return null;
  const point = step ? plannedPoint(step) : null;
  return {
    report: reportOfConfig(s.config, s.webgpu?.device ?? null, point ? [point] : [], maxBatch),
    point,
    origin: 'plan',
  };
}

/** "headroom-tiny", "headroom-T16-C32-H4-L2-attention": the stem every exported file's name starts with. */
export function reportStem(r: Report): string {
  const m = r.model;
  const name = r.model.preset ?? `T${m.seq}-C${m.embd}-H${m.heads}-L${m.layers}`;
  return `headroom-${name}${m.attentionOnly ? '-attention' : ''}`;
}

export function reportFileName(r: Report): string {
  return `${reportStem(r)}.json`;
}

/** "view-minimal-b64": a point in a file name. */
export const pointStem = (p: Pick<Point, 'strategy' | 'retention' | 'batch'>): string =>
  `${p.strategy}-${p.retention}-b${p.batch}`;
