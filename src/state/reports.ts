/**
 * Reports opened in the page (a file picked or dropped): kept in a short list, and shown as if
 * just measured — the page's configuration becomes the report's and its points the measured ones.
 * Types only from the report modules: the page's first load carries no zod (e2e/bundle.spec.ts);
 * the file is decoded (engine/report/io.ts) by the UI, loaded on demand.
 */
import type { Combo } from '../engine/explore/types';
import { modelOfReport } from '../engine/explore/modelOfReport';
import type { DeviceInfo, Report } from '../engine/report/report';
import type { Point } from '../engine/report/schema';
import { canonicalCombos, presetOf, sameCombo, type PageConfig } from './pageConfig';

/** A report opened in the page. */
export interface OpenedReport {
  /** Unique in the page's list ("r1", "r2", ...). */
  id: string;
  /** The file's name. */
  name: string;
  report: Report;
}

/** At most this many reports are kept; opening one more drops the oldest. */
export const MAX_OPEN_REPORTS = 8;

/** Where the measured points on screen come from, when not from this page's own run. */
export interface MeasuredFrom {
  /** The report file's name. */
  file: string;
  /** The device the report was measured on (null: the report does not say). */
  device: DeviceInfo | null;
}

/** "imported from run.json (adapter NVIDIA H100, nvidia)" / "imported from run.json (no device recorded)". */
export function importedLabel(from: MeasuredFrom): string {
  const d = from.device;
  const adapter = d
    ? `adapter ${[d.adapter, d.vendor].filter((x) => x !== '').join(', ') || 'unnamed'}`
    : 'no device recorded';
  return `imported from ${from.file} (${adapter})`;
}

/** The report's strategy × retention pairs, in the page's order. */
export function reportCombos(r: Report): Combo[] {
  const combos: Combo[] = [];
  for (const p of r.points) {
    const c = { strategy: p.strategy, retention: p.retention };
    if (!combos.some((d) => sameCombo(c, d))) combos.push(c);
  }
  return canonicalCombos(combos);
}

/** The report's batches, ascending, each once. */
export function reportBatches(r: Report): number[] {
  return [...new Set(r.points.map((p) => p.batch))].sort((a, b) => a - b);
}

/**
 * The page configuration of a report: its model (preset when it names one whose values it has),
 * dtype, optimizer, micro-batches, loss and its chunk, allocator, chunk; combos = its strategy × retention pairs; batches to measure = its
 * batches; the batch slider at its largest batch. The budget stays the page's.
 */
export function configOfReport(r: Report, base: PageConfig): PageConfig {
  const model = modelOfReport(r, base.model);
  const preset = presetOf(model);
  const batches = reportBatches(r);
  const combos = reportCombos(r);
  return {
    ...base,
    preset,
    model,
    dtype: r.dtype,
    optimizer: r.optimizer,
    microBatches: r.microBatches,
    loss: r.loss,
    lossChunk: r.lossChunk,
    allocator: r.allocator,
    chunk: r.chunk,
    combos: combos.length > 0 ? combos : base.combos,
    measureBatches: batches.length > 0 ? batches : base.measureBatches,
    batch: batches.at(-1) ?? base.batch,
  };
}

/** The report's point of a combo at a batch. */
export function reportPoint(r: Report, combo: Combo, batch: number): Point | undefined {
  return r.points.find((p) => p.batch === batch && sameCombo(p, combo));
}

/** "view/minimal @ 4": a point as the pickers list it. */
export const pointKey = (p: Pick<Point, 'strategy' | 'retention' | 'batch'>): string =>
  `${p.strategy}/${p.retention} @ ${p.batch}`;

/** The list after opening `opened`: appended, the oldest dropped past MAX_OPEN_REPORTS. */
export function withOpened(list: readonly OpenedReport[], opened: OpenedReport): OpenedReport[] {
  return [...list, opened].slice(-MAX_OPEN_REPORTS);
}
