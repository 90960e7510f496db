/**
 * Where the page's state comes from at start and goes on every change: the address (URL first),
 * then localStorage, then the defaults; written back with history.replaceState and to storage.
 */
import { WEBGPU_DEFAULT_LIMITS, type DeviceLimits } from '../engine/vocabulary';
import { IDLE_FIT } from './fitAdvisor';
import { DEFAULT_CONFIG } from './pageConfig';
import {
  STORAGE_KEY,
  type AppData,
  type CurvesState,
  type StepState,
  type StorageLike,
  type StoreDeps,
} from './storeTypes';
import { parseQuery, toQuery, type UrlState } from './url';

export const EMPTY_CURVES: CurvesState = { byCombo: {}, failed: {}, pending: 0, configKey: '' };
export const IDLE_STEP: StepState = { status: 'idle', detail: null, error: null };
const DEFAULT_LIMITS: DeviceLimits = {
  maxBufferSize: WEBGPU_DEFAULT_LIMITS.maxBufferSize,
  maxStorageBufferBindingSize: WEBGPU_DEFAULT_LIMITS.maxStorageBufferBindingSize,
};

export function defaultWriteUrl(query: string): void {
  if (typeof history === 'undefined' || typeof location === 'undefined') return;
  history.replaceState(history.state, '', `${location.pathname}?${query}${location.hash}`);
}

function defaultPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

function readStorage(storage: StorageLike | undefined): string {
  try {
    return storage?.getItem(STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage refused (privacy mode): start from the defaults
  }
}

export function initialData(deps: StoreDeps): { data: AppData; explicitCompare: boolean } {
  const stored = parseQuery(readStorage(deps.storage), DEFAULT_CONFIG);
  const url = parseQuery(deps.initialUrl ?? '', stored.config);
  const compare = url.compare ?? stored.compare;
  return {
    explicitCompare: compare !== undefined,
    data: {
      config: url.config,
      errors: {},
      urlWarnings: url.warnings,
      curves: EMPTY_CURVES,
      chartBatch: null,
      limits: DEFAULT_LIMITS,
      limitsSource: 'webgpu-defaults',
      metric: url.metric ?? stored.metric ?? 'live',
      selected: url.selected ?? stored.selected ?? null,
      step: IDLE_STEP,
      compare: compare ? { ...compare, status: 'idle', result: null, error: null } : null,
      webgpu: null,
      measured: [],
      measuredConfigKey: null,
      measuredConfig: null,
      status: 'idle',
      progress: null,
      cancelRequested: false,
      confirmSlow: false,
      estimate: { seconds: 0, slow: false },
      theme: url.theme ?? stored.theme ?? ((deps.prefersDark ?? defaultPrefersDark()) ? 'dark' : 'light'),
      reports: [],
      measuredFrom: null,
      torchSnapshot: null,
      fit: IDLE_FIT,
    },
  };
}

/**
 * Writes the state's query to the address and to storage when it changed; returns the writer
 * (subscribe it to the store). With `delayMs` > 0 a change is written once the state has stayed
 * unchanged that long (a slider's moves cost no address or storage writes while they come), and
 * at once when the page is hidden or left.
 */
export function persister(
  deps: Pick<StoreDeps, 'storage'>,
  writeUrl: (query: string) => void,
  state: () => UrlState,
  delayMs = 0,
): () => void {
  let lastQuery = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const query = toQuery(state());
    if (query === lastQuery) return;
    lastQuery = query;
    writeUrl(query);
    try {
      deps.storage?.setItem(STORAGE_KEY, query);
    } catch {
      // storage full or refused: the URL still holds the state
    }
  };
  if (delayMs <= 0) return write;
  if (typeof addEventListener === 'function') {
    addEventListener('pagehide', () => timer !== undefined && write());
    addEventListener('visibilitychange', () => timer !== undefined && write());
  }
  return () => {
    clearTimeout(timer);
    timer = setTimeout(write, delayMs);
  };
}
