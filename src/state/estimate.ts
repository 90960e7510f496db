/**
 * How long measuring will take, said before it starts: a training step's FLOPs (the engine's count
 * from the model's dimensions, src/engine/fit/flops.ts) over the adapter's rate, plus a first-run
 * warm-up (shader compilation, onnxruntime's start). Rough on purpose: it only has to tell "a few
 * seconds" from "minutes on a CPU adapter".
 */
import { stepFlops } from '../engine/fit/flops';
import type { ModelConfig } from '../engine/models/spec';

/** FLOP/s of a CPU adapter (SwiftShader) and of a GPU, before any point was measured. */
export const CPU_FLOPS = 2e9;
export const GPU_FLOPS = 2e12;
/** Seconds of the first run: compiling shaders and starting onnxruntime (much slower on the CPU). */
export const CPU_WARMUP_S = 40;
export const GPU_WARMUP_S = 5;
/** An estimate above this asks the user to confirm (or pick smaller batches). */
export const SLOW_SECONDS = 20;

export interface AdapterSpeed {
  /** A CPU adapter (SwiftShader, or any fallback adapter). */
  cpu: boolean;
  /** Measured FLOP/s, once a point ran (replaces the default rate). */
  flopsPerSecond?: number;
  /** True once a step ran: no warm-up left to pay. */
  warm?: boolean;
}

/** Seconds to measure one step of `model` at each of `batches` (one point each), warm-up included. */
export function estimateSeconds(
  spec: { model: ModelConfig },
  batches: readonly number[],
  adapter: AdapterSpeed,
): number {
  const rate = adapter.flopsPerSecond ?? (adapter.cpu ? CPU_FLOPS : GPU_FLOPS);
  const warmup = adapter.warm ? 0 : adapter.cpu ? CPU_WARMUP_S : GPU_WARMUP_S;
  const flops = batches.reduce((sum, b) => sum + stepFlops(spec.model, b), 0);
  return warmup + flops / rate;
}

/** The rate one measured step implies (null when its time says nothing). */
export function calibratedRate(model: ModelConfig, batch: number, stepMs: number): number | null {
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) return null;
  return stepFlops(model, batch) / (stepMs / 1000);
}

/** Whether a probed adapter runs on the CPU: SwiftShader by name, or a fallback adapter. */
export function isCpuAdapter(probe: { adapter?: string; fallback?: boolean } | null): boolean {
  if (!probe) return false;
  return probe.fallback === true || /swiftshader/i.test(probe.adapter ?? '');
}

/** "about 40 s", "about 3 min", "about 2 h". */
export function formatEstimate(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${Math.round(seconds / 3600)} h`;
}
