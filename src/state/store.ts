/**
 * The page's state: the configuration the controls pick (validated on every edit), the planned
 * curves of every selected strategy × retention (asked of the plan workers on every change, stale
 * answers dropped), the step shown and the pair compared, the points measured on demand through
 * the measuring worker, and the URL and storage that keep it all. Framework-free apart from
 * zustand's vanilla store, so it is unit-tested with fake PlanApi and HeadroomApi.
 */
import { createStore } from 'zustand/vanilla';
import { comboKey, type Combo, type CurveRequest, type StepRequest } from '../engine/explore/types';
import { outcomeOf } from '../engine/report/points';
import { MAX_BATCH } from '../engine/vocabulary';
import type { WebGpuProbe } from '../worker/api';
import { estimateSeconds, isCpuAdapter, SLOW_SECONDS } from './estimate';
import { createFitRunner, withSetup } from './fitAdvisor';
import { runMeasure, specOf, type MeasureProgress, type MeasureStatus } from './measureSweep';
import {
  BUDGET_PRESETS,
  canonicalCombos,
  GB,
  hasErrors,
  MODEL_FIELDS,
  planConfigOf,
  sliderNeighbours,
  sameCombo,
  sameErrors,
  samePointRef,
  SLIDER_RANGES,
  validatePageConfig,
  withModel,
  withPreset,
  type ModelField,
  type PageConfig,
  type PointRef,
} from './pageConfig';
import { configOfReport, withOpened } from './reports';
import { defaultWriteUrl, EMPTY_CURVES, IDLE_STEP, initialData, persister } from './persistence';
import {
  CURVES_FLUSH_MS,
  DETAIL_DELAY_MS,
  FIT_DELAY_MS,
  PERSIST_DELAY_MS,
  PREFETCH_DELAY_MS,
  type AppState,
  type AppStore,
  type CompareState,
  type CurvesState,
  type StoreDeps,
} from './storeTypes';

export type { MeasureProgress, MeasureStatus };
export * from './storeTypes';

/** Identifies the plans of a configuration (what measured points and steps depend on). */
export function planKeyOf(c: PageConfig): string {
  // Components select it on every store change: worked out once per configuration object.
  let key = planKeys.get(c);
  if (key === undefined) planKeys.set(c, (key = JSON.stringify(planConfigOf(c))));
  return key;
}
const planKeys = new WeakMap<PageConfig, string>();

/** The batch rounded up to a power of 2, at least 8: how far the planned chart's x axis reaches. */
export function minBatchOf(batch: number): number {
  return Math.min(MAX_BATCH, 2 ** Math.ceil(Math.log2(Math.max(batch, 8))));
}

/**
 * The chart's reach after the batch moves, given the one shown: kept while the batch stays at most
 * it and above a quarter of it (the axis does not jump at every power of 2 the batch crosses, and
 * never reaches more than 4× past the batch), else minBatchOf(batch).
 */
export function nextMinBatch(shown: number | null, batch: number): number {
  return shown !== null && batch <= shown && 4 * batch > shown ? shown : minBatchOf(batch);
}

/**
 * The curves' minBatch: the batch slider's whole range, so that no move of the slider asks the
 * workers for new curves (a batch past it, typed in the box, rounds up to a power of 2). The chart
 * shows the curves up to its own reach (`chartBatch`, views/shownCurves.ts), which needs no replan.
 */
export function curvesMinBatch(batch: number): number {
  return Math.max(SLIDER_RANGES.batch.max, minBatchOf(batch));
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const superseded = (err: unknown): boolean => err instanceof Error && err.name === 'Superseded';

export function createAppStore(deps: StoreDeps): AppStore {
  const { measure: api, plan } = deps;
  const writeUrl = deps.writeUrl ?? defaultWriteUrl;
  const init = initialData(deps);
  /** The compare pair was picked (URL or setCompare) rather than derived from the combos and batch. */
  let explicitCompare = init.explicitCompare;
  let stepKey = '';
  let compareKey = '';
  let detailTimer: ReturnType<typeof setTimeout> | undefined;
  const detailDelayMs = deps.detailDelayMs ?? DETAIL_DELAY_MS;
  const curvesFlushMs = deps.curvesFlushMs ?? CURVES_FLUSH_MS;
  const prefetchDelayMs = deps.prefetchDelayMs ?? PREFETCH_DELAY_MS;
  /** The model field the person moved last: its neighbouring values are planned ahead. */
  let lastField: ModelField | null = null;
  let prefetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The adapter's measured FLOP/s and whether a step already ran (no warm-up left). */
  const speed = { flopsPerSecond: undefined as number | undefined, warm: false };
  /** Reports opened so far (their ids). */
  let reportCount = 0;

  const store = createStore<AppState>()((set, get) => {
    const update = (patch: Partial<PageConfig>) => {
      set({ config: { ...get().config, ...patch } });
      sync();
    };
    return {
      ...init.data,
      setPreset: (preset) => (set({ config: withPreset(get().config, preset) }), sync()),
      setModelField(field, value) {
        lastField = field;
        set({ config: withModel(get().config, { [field]: value }) });
        sync();
      },
      setActivation: (activation) => (set({ config: withModel(get().config, { activation }) }), sync()),
      setAttentionOnly: (attentionOnly) => (
        set({ config: withModel(get().config, { attentionOnly }) }),
        sync()
      ),
      setBatch(batch) {
        const { selected } = get();
        if (selected) set({ selected: { ...selected, batch } });
        update({ batch });
      },
      toggleCombo(combo) {
        const on = get().config.combos;
        const has = on.some((c) => sameCombo(c, combo));
        update({ combos: canonicalCombos(has ? on.filter((c) => !sameCombo(c, combo)) : [...on, combo]) });
      },
      setCombos: (combos) => update({ combos: canonicalCombos(combos) }),
      setChunk: (chunk) => update({ chunk }),
      setDtype: (dtype) => update({ dtype }),
      setAllocator: (allocator) => update({ allocator }),
      setBudget(id) {
        const preset = BUDGET_PRESETS.find((b) => b.id === id);
        update({ budget: { id, bytes: preset ? preset.bytes : get().config.budget.bytes } });
      },
      setBudgetGb: (gb) =>
        update({ budget: { id: 'custom', bytes: Number.isNaN(gb) ? NaN : Math.round(gb * GB) } }),
      setMeasureBatches: (batches) => update({ measureBatches: [...batches] }),
      setOptimizer: (optimizer) => update({ optimizer }),
      setMicroBatches: (microBatches) => update({ microBatches }),
      setLoss: (loss) => update({ loss }),
      setLossChunk: (lossChunk) => update({ lossChunk }),
      setFitBatch: (batch) => (set({ fit: { ...get().fit, batch } }), fitRunner.sync()),
      applySetup(setup) {
        const { config, selected } = withSetup(get().config, setup);
        set({ config, selected });
        sync();
      },
      setMetric: (metric) => (set({ metric }), sync()),
      setTheme: (theme) => set({ theme }),
      toggleTheme: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }),
      select(ref) {
        set({ selected: ref });
        update({ batch: ref.batch });
      },
      setCompare(a, b) {
        explicitCompare = true;
        set({ compare: { a, b, status: 'idle', result: null, error: null } });
        sync();
      },
      async probe() {
        let webgpu: WebGpuProbe;
        try {
          webgpu = await api.probeWebGpu();
        } catch (err) {
          webgpu = { available: false, reason: `the WebGPU check failed: ${messageOf(err)}` };
        }
        const limits = webgpu.device?.limits;
        set({
          webgpu,
          ...(limits
            ? {
                limits: {
                  maxBufferSize: limits.maxBufferSize,
                  maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
                },
                limitsSource: 'adapter' as const,
              }
            : {}),
        });
        // Without WebGPU nothing can be measured: end the worker rather than keep it idle.
        if (!webgpu.available) api.dispose();
        sync();
      },
      async measure(opts = {}) {
        const s = get();
        if (s.status === 'measuring' || s.webgpu?.available === false) return;
        if (hasErrors(s.errors)) return;
        if (s.estimate.slow && !opts.confirmed) return set({ confirmSlow: true });
        set({ measuredFrom: null });
        await runMeasure(api, get, set, speed, planKeyOf(s.config));
        sync();
      },
      dismissSlow: () => set({ confirmSlow: false }),
      cancel() {
        if (get().status === 'measuring') set({ cancelRequested: true });
      },
      onnxModel: (ref) => api.onnxModel({ spec: specOf(get().config, ref.combo), batch: ref.batch }),
      abandon() {
        if (get().status !== 'measuring') return;
        set({ cancelRequested: true });
        api.abandon();
      },
      openReport(name, report) {
        if (get().status === 'measuring') return null;
        const id = `r${++reportCount}`;
        set({ reports: withOpened(get().reports, { id, name, report }) });
        get().showReport(id);
        return id;
      },
      showReport(id) {
        const s = get();
        const opened = s.reports.find((r) => r.id === id);
        if (!opened || s.status === 'measuring') return;
        const { report } = opened;
        const config = configOfReport(report, s.config);
        const [first] = config.combos;
        set({
          config,
          selected: first ? { combo: first, batch: config.batch } : null,
          measured: [...report.points],
          measuredConfig: config,
          measuredConfigKey: planKeyOf(config),
          measuredFrom: { file: opened.name, device: report.device },
          status: report.points.some((p) => outcomeOf(p) === 'failed') ? 'error' : 'done',
          progress: null,
          cancelRequested: false,
          confirmSlow: false,
        });
        sync();
      },
      removeReport: (id) => set({ reports: get().reports.filter((r) => r.id !== id) }),
      setTorchSnapshot: (torchSnapshot) => set({ torchSnapshot }),
    };
  });
  const { getState: get, setState: set } = store;
  const fitRunner = createFitRunner({ plan, get, set, delayMs: deps.fitDelayMs ?? FIT_DELAY_MS });

  /** Curves of the latest request, shown once all have arrived (or CURVES_FLUSH_MS have passed). */
  let incoming: CurvesState = EMPTY_CURVES;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let progressive = false;
  const flushCurves = () => {
    clearTimeout(flushTimer);
    // For bench/page.bench.mjs: when the planned curves reached the page (then React draws them).
    if (incoming.pending === 0) globalThis.performance?.mark?.('headroom:planned');
    set({ curves: incoming });
  };

  function startCurves(key: string, config: PageConfig, reserved: boolean) {
    plan.cancelQueued();
    incoming = { byCombo: {}, failed: {}, pending: config.combos.length, configKey: key };
    clearTimeout(flushTimer);
    // Nothing on screen yet (first load, or after an invalid value): show each curve as it comes.
    progressive = Object.keys(get().curves.byCombo).length === 0 || curvesFlushMs === 0;
    if (progressive) flushCurves();
    else {
      set({ curves: { ...get().curves, pending: config.combos.length } });
      flushTimer = setTimeout(() => {
        progressive = true;
        if (incoming.configKey === key) flushCurves();
      }, curvesFlushMs);
    }
    requestCurves(key, config, config.combos, reserved);
  }

  function arrived(key: string, patch: (c: CurvesState) => CurvesState) {
    if (incoming.configKey !== key) return;
    incoming = patch(incoming);
    if (progressive || incoming.pending === 0) flushCurves();
    if (incoming.pending === 0) schedulePrefetch(get().config, get().metric === 'reserved');
  }

  function curveRequest(config: PageConfig, combo: Combo, reserved: boolean): CurveRequest {
    return {
      config: planConfigOf(config),
      combo,
      budgetBytes: config.budget.bytes,
      limits: get().limits,
      minBatch: curvesMinBatch(config.batch),
      reserved,
    };
  }

  /** Stops the planning-ahead timer. */
  function cancelPrefetch() {
    clearTimeout(prefetchTimer);
  }

  /**
   * Plans model sliders' neighbouring values in the workers' idle time (plan.warm: nothing comes
   * back; the workers keep the curves), so that the next step of a slider is answered from a
   * cache: once the page is idle, the last-moved slider's first, then every other slider's. Warm-ups
   * wait behind every real request and leave the page's thread a core while it draws an answer
   * (planPool.ts), and the next change's cancelQueued drops those not started, so this never delays
   * a real request by more than one plan.
   */
  function schedulePrefetch(config: PageConfig, reserved: boolean) {
    cancelPrefetch();
    if (prefetchDelayMs === 0) return;
    // Idle: no curves pending and the curves shown still those of `config` (a batch move, which
    // changes no curve, does not stop planning ahead: the requests are the same).
    const key = incoming.configKey;
    const idle = () => get().curves.pending === 0 && incoming.configKey === key;
    const moved = lastField;
    const fields = moved ? [moved, ...MODEL_FIELDS.filter((f) => f !== moved)] : MODEL_FIELDS;
    prefetchTimer = setTimeout(() => {
      if (!idle()) return;
      for (const field of fields)
        for (const value of sliderNeighbours(field, config.model)) {
          const next = withModel(config, { [field]: value });
          if (hasErrors(validatePageConfig(next))) continue;
          for (const combo of config.combos) plan.warm(curveRequest(next, combo, reserved)).catch(() => {});
        }
    }, prefetchDelayMs);
  }

  /** Asks for the curves of `combos` at once: the workers start before the page draws the change. */
  function requestCurves(key: string, config: PageConfig, combos: readonly Combo[], reserved: boolean) {
    const answers = plan.curves(combos.map((combo) => curveRequest(config, combo, reserved)));
    combos.forEach((combo, i) => {
      const k = comboKey(combo);
      answers[i]!.then(
        (curve) =>
          arrived(key, (c) => ({ ...c, byCombo: { ...c.byCombo, [k]: curve }, pending: c.pending - 1 })),
        (err: unknown) => {
          if (incoming.configKey !== key) return;
          if (superseded(err)) return requestCurves(key, config, [combo], reserved);
          arrived(key, (c) => ({
            ...c,
            failed: { ...c.failed, [k]: messageOf(err) },
            pending: c.pending - 1,
          }));
        },
      );
    });
  }

  function stepRequest(ref: PointRef): StepRequest {
    return { config: planConfigOf(get().config), combo: ref.combo, batch: ref.batch };
  }

  function requestStep(ref: PointRef) {
    const req = stepRequest(ref);
    const key = (stepKey = JSON.stringify(req));
    set({ step: { ...get().step, status: 'loading', error: null } });
    plan.step(req).then(
      (detail) => {
        if (stepKey === key) set({ step: { status: 'ready', detail, error: null } });
      },
      (err: unknown) => {
        if (stepKey !== key) return;
        if (superseded(err)) return requestStep(ref);
        set({ step: { status: 'error', detail: null, error: messageOf(err) } });
      },
    );
  }

  function requestCompare(pair: CompareState) {
    const a = stepRequest(pair.a);
    const b = stepRequest(pair.b);
    const key = (compareKey = JSON.stringify([a, b]));
    set({ compare: { ...pair, status: 'loading', error: null } });
    plan.compare(a, b).then(
      (result) => {
        const c = get().compare;
        if (compareKey === key && c) set({ compare: { ...c, status: 'ready', result, error: null } });
      },
      (err: unknown) => {
        const c = get().compare;
        if (compareKey !== key || !c) return;
        if (superseded(err)) return requestCompare(c);
        set({ compare: { ...c, status: 'error', result: null, error: messageOf(err) } });
      },
    );
  }

  /** Brings everything derived from the configuration up to date, asking only for what changed. */
  function sync() {
    const s = get();
    const { config } = s;
    const errors = validatePageConfig(config);
    if (hasErrors(errors)) {
      // Nothing stale stays on screen: each control shows its message instead.
      if (incoming.configKey !== '') plan.cancelQueued();
      clearTimeout(flushTimer);
      clearTimeout(detailTimer);
      cancelPrefetch();
      incoming = EMPTY_CURVES;
      stepKey = compareKey = '';
      set({
        errors,
        curves: EMPTY_CURVES,
        step: IDLE_STEP,
        compare: s.compare && { ...s.compare, status: 'idle', result: null, error: null },
        estimate: { seconds: 0, slow: false },
        confirmSlow: false,
      });
      fitRunner.sync();
      return;
    }
    const has = (c: Combo) => config.combos.some((d) => sameCombo(c, d));
    const [first, second] = config.combos;
    const selected =
      s.selected && has(s.selected.combo) ? s.selected : { combo: first!, batch: config.batch };
    let compare = s.compare;
    if (!explicitCompare || !compare || !has(compare.a.combo) || !has(compare.b.combo)) {
      explicitCompare = false;
      const a = { combo: first!, batch: config.batch };
      const b = second && { combo: second, batch: config.batch };
      // The same default pair keeps its comparison (a budget or limits change does not touch it).
      const same = compare && b && samePointRef(compare.a, a) && samePointRef(compare.b, b);
      compare = same ? compare : b ? { a, b, status: 'idle', result: null, error: null } : null;
    }
    const batches = config.combos.flatMap(() => config.measureBatches);
    const seconds = estimateSeconds(config, batches, { cpu: isCpuAdapter(s.webgpu), ...speed });
    // What did not change keeps its object, so that the controls reading it are not drawn again.
    set({
      errors: sameErrors(errors, s.errors) ? s.errors : errors,
      selected,
      compare,
      estimate: s.estimate.seconds === seconds ? s.estimate : { seconds, slow: seconds > SLOW_SECONDS },
      chartBatch: nextMinBatch(s.chartBatch, config.batch),
    });

    const reserved = s.metric === 'reserved';
    const key = JSON.stringify({
      plan: planConfigOf(config),
      combos: config.combos,
      budget: config.budget.bytes,
      limits: s.limits,
      minBatch: curvesMinBatch(config.batch),
      reserved,
    });
    if (key !== incoming.configKey) {
      cancelPrefetch();
      startCurves(key, config, reserved);
    }
    clearTimeout(detailTimer);
    const details = () => {
      const now = get();
      if (hasErrors(now.errors)) return;
      if (now.selected && JSON.stringify(stepRequest(now.selected)) !== stepKey) requestStep(now.selected);
      if (!now.compare) compareKey = '';
      else if (JSON.stringify([stepRequest(now.compare.a), stepRequest(now.compare.b)]) !== compareKey)
        requestCompare(now.compare);
    };
    // The first step and comparison come at once; later ones once the controls settle.
    const firstDetails = stepKey === '' && !get().step.detail;
    if (firstDetails || detailDelayMs === 0) details();
    else detailTimer = setTimeout(details, detailDelayMs);
    fitRunner.sync();
  }

  const persistDelayMs = deps.persistDelayMs ?? PERSIST_DELAY_MS;
  const persist = persister(
    deps,
    writeUrl,
    () => {
      const s = get();
      return {
        config: s.config,
        selected: s.selected,
        compare: explicitCompare && s.compare ? { a: s.compare.a, b: s.compare.b } : null,
        metric: s.metric,
        theme: s.theme,
      };
    },
    persistDelayMs,
  );
  sync();
  persist();
  store.subscribe(persist);
  return store;
}
