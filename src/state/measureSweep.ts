/**
 * The store's measuring run: every selected combo at every batch to measure, one point at a time
 * through the measuring worker, each result kept as it arrives. Cancel takes effect between
 * points; abandon ends the point in flight (the API resolves it as cancelled). After each measured
 * point the adapter's speed is recalibrated from its step time, for the next estimate.
 */
import { buildSpecOf } from '../engine/explore/key';
import { comboKey, type Combo } from '../engine/explore/types';
import type { BuildSpec } from '../engine/models/spec';
import { outcomeOf, unmeasuredPoint } from '../engine/report/points';
import type { Point } from '../engine/report/schema';
import type { HeadroomApi } from '../worker/api';
import { calibratedRate } from './estimate';
import { planConfigOf, type PageConfig, type PointRef } from './pageConfig';

export interface MeasureProgress extends PointRef {
  /** 1-based position of the point being measured. */
  index: number;
  total: number;
  /** e.g. "view/minimal @ batch 2". */
  label: string;
}

/**
 * - `idle`: nothing measured yet, or the last run was cancelled;
 * - `measuring`: points are being measured;
 * - `done`: the last run measured (or skipped) every point;
 * - `error`: the last run finished with at least one failed point (its error is in its Point).
 */
export type MeasureStatus = 'idle' | 'measuring' | 'done' | 'error';

/** The part of the store's state a measuring run reads and writes. */
export interface MeasureState {
  config: PageConfig;
  /** Points of the last measuring run, in the order they finished. */
  measured: Point[];
  /** planKeyOf() of the configuration `measured` belongs to. */
  measuredConfigKey: string | null;
  measuredConfig: PageConfig | null;
  status: MeasureStatus;
  progress: MeasureProgress | null;
  cancelRequested: boolean;
  /** measure() was asked for a slow run: the panel asks to confirm or to pick smaller batches. */
  confirmSlow: boolean;
}

export function pointLabel({ combo, batch }: PointRef): string {
  return `${comboKey(combo)} @ batch ${batch}`;
}

/** Batch by batch (small, fast batches first), every combo at each batch. */
export function sweepOrder(combos: readonly Combo[], batches: readonly number[]): PointRef[] {
  const sorted = [...new Set(batches)].sort((a, b) => a - b);
  return sorted.flatMap((batch) => combos.map((combo) => ({ combo, batch })));
}

export function specOf(c: PageConfig, combo: Combo): BuildSpec {
  return buildSpecOf(planConfigOf(c), combo);
}

/** The point of a request the API rejected (it promises not to, but a dead worker does). */
function rejectedPoint({ combo, batch }: PointRef, err: unknown): Point {
  return unmeasuredPoint({ ...combo, batch }, 'rpc', err instanceof Error ? err.message : String(err));
}

/** The measured point of `ref`, if any. */
export function measuredPointOf(points: readonly Point[], ref: PointRef): Point | undefined {
  return points.find(
    (p) => p.batch === ref.batch && p.strategy === ref.combo.strategy && p.retention === ref.combo.retention,
  );
}

export async function runMeasure(
  api: HeadroomApi,
  get: () => MeasureState,
  set: (patch: Partial<MeasureState>) => void,
  speed: { flopsPerSecond?: number; warm: boolean },
  configKey: string,
): Promise<void> {
  const config = get().config;
  const refs = sweepOrder(config.combos, config.measureBatches);
  set({
    status: 'measuring',
    measured: [],
    measuredConfigKey: configKey,
    measuredConfig: config,
    cancelRequested: false,
    confirmSlow: false,
  });
  for (const [i, ref] of refs.entries()) {
    if (get().cancelRequested) {
      set({ status: 'idle', progress: null, cancelRequested: false });
      return;
    }
    set({ progress: { ...ref, index: i + 1, total: refs.length, label: pointLabel(ref) } });
    let point: Point;
    try {
      point = await api.measurePoint({
        spec: specOf(config, ref.combo),
        batch: ref.batch,
        allocator: config.allocator,
      });
    } catch (err) {
      point = rejectedPoint(ref, err);
    }
    if (point.measured) {
      speed.warm = true;
      speed.flopsPerSecond =
        calibratedRate(config.model, ref.batch, point.measured.stepMs) ?? speed.flopsPerSecond;
    }
    set({ measured: [...get().measured, point] });
  }
  // Skipped points (over the device's limits) are not failures: the run did what it could.
  const failed = get().measured.some((p) => outcomeOf(p) === 'failed');
  set({ status: failed ? 'error' : 'done', progress: null, cancelRequested: false });
}
