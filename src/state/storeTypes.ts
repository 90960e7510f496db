/**
 * The page store's shape: what it holds (AppData), what it does (AppActions) and what it needs
 * (StoreDeps). store.ts implements it; components and tests import these through store.ts.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Combo, Comparison, Curve, StepDetail } from '../engine/explore/types';
import type { PresetName } from '../engine/models/spec';
import type { Setup } from '../engine/fit/types';
import type { Activation, Allocator, DeviceLimits, LossStrategy, OptimizerName } from '../engine/vocabulary';
import type { HeadroomApi, WebGpuProbe } from '../worker/api';
import type { PlanApi } from '../worker/planApi';
import type { TorchSnapshotSummary } from '../engine/report/import/torchSnapshot';
import type { Report } from '../engine/report/report';
import type { FitState } from './fitAdvisor';
import type { MeasureState } from './measureSweep';
import type { MeasuredFrom, OpenedReport } from './reports';
import type {
  BudgetId,
  ControlErrors,
  DType,
  Metric,
  ModelField,
  PageConfig,
  PointRef,
  Theme,
} from './pageConfig';

/** What the store needs of localStorage. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface StoreDeps {
  /** The measuring worker. */
  measure: HeadroomApi;
  /** The pool of plan workers. */
  plan: PlanApi;
  /** Keeps the configuration between visits (the URL wins over it). */
  storage?: StorageLike;
  /** The page's address (or just its query) at start. */
  initialUrl?: string;
  /** Puts the state's query string in the address bar; default history.replaceState when there is one. */
  writeUrl?: (query: string) => void;
  /** The theme when neither the URL nor storage says; default prefers-color-scheme when available. */
  prefersDark?: boolean;
  /**
   * How long the step and the comparison wait for the controls to settle before they are asked
   * for again (ms; default DETAIL_DELAY_MS; 0 asks at once). While a slider moves only the curves
   * follow it: a step and a comparison are thousands of rows to draw.
   */
  detailDelayMs?: number;
  /** How long the controls rest before the fit panel asks (ms; default FIT_DELAY_MS; 0 at once). */
  fitDelayMs?: number;
  /**
   * New curves replace the ones shown all at once, when the last arrives, so the chart redraws
   * once per change; past this many ms (default CURVES_FLUSH_MS) each arrives as it comes.
   */
  curvesFlushMs?: number;
  /**
   * After the curves of a slider's new value arrive and the page is idle this long (ms; default
   * PREFETCH_DELAY_MS; 0 turns it off), the plan workers plan that slider's neighbouring values, so
   * the next step of the slider (a key press, a click) is answered from their cache, then every
   * other model slider's neighbours. While the page draws an answer they plan ahead on one worker
   * of two (planPool.ts), so its thread keeps a core; the next change drops what was not planned yet.
   */
  prefetchDelayMs?: number;
  /**
   * The address and storage are written once the state has stayed unchanged this long (ms; default
   * PERSIST_DELAY_MS; 0 writes on every change): a history.replaceState and a storage write cost
   * several ms each, too much for every step of a slider.
   */
  persistDelayMs?: number;
}

export const PREFETCH_DELAY_MS = 300;

export const DETAIL_DELAY_MS = 200;
/**
 * How long the controls rest before the fit panel asks its question (ms). A question is seconds of
 * one worker's CPU (it plans every setup); asked after each slider step it would take a core from
 * the plan workers while the person is still moving the controls.
 */
export const FIT_DELAY_MS = 1500;
export const CURVES_FLUSH_MS = 250;
export const PERSIST_DELAY_MS = 250;

export const STORAGE_KEY = 'headroom.page';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface CurvesState {
  /** By comboKey ("copy/tape"). */
  byCombo: Record<string, Curve>;
  /** Combos whose plan failed, with the planner's message. */
  failed: Record<string, string>;
  /** Curves asked for and not answered yet. */
  pending: number;
  /** The request the curves answer ('' when nothing was asked: an invalid configuration). */
  configKey: string;
}

export interface StepState {
  status: LoadStatus;
  /** While loading, the previous step's detail (its combo and batch say which) or null. */
  detail: StepDetail | null;
  error: string | null;
}

export interface CompareState {
  a: PointRef;
  b: PointRef;
  status: LoadStatus;
  result: Comparison | null;
  error: string | null;
}

/** Everything the page shows and the person picked (the measuring run's part: MeasureState). */
export interface AppData extends MeasureState {
  config: PageConfig;
  /** One message per control that is wrong, recomputed on every edit. */
  errors: ControlErrors;
  /** What the address's parameters said that was dropped. */
  urlWarnings: string[];
  curves: CurvesState;
  /**
   * How far the planned chart's x axis reaches at least: the batch rounded up to a power of 2,
   * kept while the batch moves within it and above a quarter of it (store.ts nextMinBatch); null
   * before the first valid configuration.
   */
  chartBatch: number | null;
  /** The buffer limits plans are checked against: the probed adapter's, else WebGPU's defaults. */
  limits: DeviceLimits;
  limitsSource: 'adapter' | 'webgpu-defaults';
  metric: Metric;
  /** The step shown; follows the batch slider. */
  selected: PointRef | null;
  step: StepState;
  /** Null when fewer than two combos are selected. */
  compare: CompareState | null;
  /** null while the probe has not answered. */
  webgpu: WebGpuProbe | null;
  /** Seconds measuring would take (0 for an invalid configuration). */
  estimate: { seconds: number; slow: boolean };
  theme: Theme;
  /** Reports opened in the page (at most MAX_OPEN_REPORTS), oldest first. */
  reports: OpenedReport[];
  /** The report the measured points were imported from; null when this page measured them (or none). */
  measuredFrom: MeasuredFrom | null;
  /** A PyTorch memory snapshot opened beside the plan. */
  torchSnapshot: { name: string; summary: TorchSnapshotSummary } | null;
  /** The fit advisor's panel: which setups train at an effective batch within the budget. */
  fit: FitState;
}

export interface AppActions {
  setPreset(preset: PresetName): void;
  setModelField(field: ModelField, value: number): void;
  setActivation(activation: Activation): void;
  /** The model kind: the whole GPT, or attention only (L layers). */
  setAttentionOnly(attentionOnly: boolean): void;
  /** The batch slider: moves the step shown (and a default compare pair) with it. */
  setBatch(batch: number): void;
  toggleCombo(combo: Combo): void;
  setCombos(combos: readonly Combo[]): void;
  setChunk(chunk: number): void;
  setDtype(dtype: DType): void;
  setAllocator(allocator: Allocator): void;
  /** A budget preset; 'custom' keeps the current bytes until setBudgetGb. */
  setBudget(id: BudgetId): void;
  /** A custom budget, in decimal GB (NaN: the box is empty). */
  setBudgetGb(gb: number): void;
  setMeasureBatches(batches: readonly number[]): void;
  setOptimizer(optimizer: OptimizerName): void;
  /** k micro-batches of the batch per step (NaN: the box is empty). */
  setMicroBatches(k: number): void;
  setLoss(loss: LossStrategy): void;
  setLossChunk(lossChunk: number): void;
  /** The fit advisor's effective batch (NaN: the box is empty); null follows batch × micro-batches. */
  setFitBatch(batch: number | null): void;
  /** Applies a fit advisor's setup: its combination, dtype and micro-batches, the step shown. */
  applySetup(setup: Setup): void;
  setMetric(metric: Metric): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  /** Shows a step; its batch becomes the batch slider's value. */
  select(ref: PointRef): void;
  setCompare(a: PointRef, b: PointRef): void;
  probe(): Promise<void>;
  /** Measures combos × measureBatches; a slow run waits for measure({ confirmed: true }). */
  measure(opts?: { confirmed?: boolean }): Promise<void>;
  /** Leaves the slow-run question unanswered (the user picks smaller batches instead). */
  dismissSlow(): void;
  /** Stops after the point in flight. */
  cancel(): void;
  /** Stops now: the point in flight is abandoned (its worker and device released). */
  abandon(): void;
  /** The ONNX model of a step of the configuration on screen (built by the measuring worker). */
  onnxModel(ref: PointRef): Promise<Uint8Array>;
  /**
   * Adds a decoded report to the list and shows it (showReport); returns its id. Refused (null)
   * while measuring.
   */
  openReport(name: string, report: Report): string | null;
  /**
   * Explores an opened report as if just measured: the configuration becomes the report's and its
   * points the measured ones. Ignored while measuring.
   */
  showReport(id: string): void;
  /** Drops a report from the list (its points stay on screen if shown). */
  removeReport(id: string): void;
  setTorchSnapshot(snapshot: { name: string; summary: TorchSnapshotSummary } | null): void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;
