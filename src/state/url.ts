/**
 * The page's state as a URL query string, so a view can be shared: the whole configuration, the
 * step shown, the compared pair, the metric and the theme, under short readable keys:
 *
 *   ?preset=seed&B=64&T=256&C=384&H=6&L=6&mlp=4&V=65&act=relu&kind=gpt
 *   &combos=copy.tape,view.minimal&chunk=64&dtype=f32&alloc=lazy&budget=6GB&measure=1,2
 *   &at=copy.tape@64&cmp=copy.tape@64,view.minimal@64&metric=live&theme=dark
 *
 * The training step's options are written only when they differ from the defaults (optimizer
 * none, one micro-batch, the standard loss with its default chunk): `opt=adamw&k=4&loss=chunked&lchunk=64`.
 *
 * Parsing never throws: an unknown or malformed parameter is dropped and reported as a warning;
 * values that parse (a batch of 0, say) are kept for validatePageConfig to explain.
 */
import type { Combo } from '../engine/explore/types';
import { PRESETS, type ModelConfig } from '../engine/models/spec';
import {
  ACTIVATIONS,
  ALLOCATORS,
  DEFAULT_LOSS_CHUNK,
  DEFAULT_LOSS_STRATEGY,
  DEFAULT_MICRO_BATCHES,
  DEFAULT_OPTIMIZER,
  LOSS_STRATEGIES,
  OPTIMIZERS,
  RETENTION_NAMES,
  STRATEGY_NAMES,
  TRAINING_DTYPES,
  type Activation,
  type Allocator,
  type LossStrategy,
  type OptimizerName,
} from '../engine/vocabulary';
import {
  budgetOf,
  canonicalCombos,
  GB,
  PRESET_NAMES,
  presetOf,
  type DType,
  type Metric,
  type PageConfig,
  type PointRef,
  type Theme,
} from './pageConfig';

export interface UrlState {
  config: PageConfig;
  selected: PointRef | null;
  compare: { a: PointRef; b: PointRef } | null;
  metric: Metric;
  theme: Theme;
}

/** What a query string said; absent fields were not in it (or were dropped with a warning). */
export interface ParsedUrl {
  config: PageConfig;
  selected?: PointRef;
  compare?: { a: PointRef; b: PointRef };
  metric?: Metric;
  theme?: Theme;
  warnings: string[];
}

/** URL key of each numeric model field. */
const MODEL_KEYS = { T: 'seq', C: 'embd', H: 'heads', L: 'layers', mlp: 'mlpRatio', V: 'vocab' } as const;
const KEYS = [
  'preset',
  'B',
  ...Object.keys(MODEL_KEYS),
  'act',
  'kind',
  'combos',
  'chunk',
  'dtype',
  'opt',
  'k',
  'loss',
  'lchunk',
  'alloc',
  'budget',
  'measure',
  'at',
  'cmp',
  'metric',
  'theme',
];
const MAX_PARAMS = 64;
const MAX_VALUE_LENGTH = 512;

const comboText = (c: Combo): string => `${c.strategy}.${c.retention}`;
const pointText = (p: PointRef): string => `${comboText(p.combo)}@${p.batch}`;

/** "6GB", "7.5GB". */
function budgetText(bytes: number): string {
  return `${Number((bytes / GB).toPrecision(12))}GB`;
}

/** The training step's options that differ from the defaults (a number box left empty: left out). */
function trainingPairs(c: PageConfig): [string, string | number][] {
  const pairs: [string, string | number][] = [];
  if (c.optimizer !== DEFAULT_OPTIMIZER) pairs.push(['opt', c.optimizer]);
  if (c.microBatches !== DEFAULT_MICRO_BATCHES) pairs.push(['k', c.microBatches]);
  if (c.loss !== DEFAULT_LOSS_STRATEGY) pairs.push(['loss', c.loss]);
  if (c.lossChunk !== DEFAULT_LOSS_CHUNK) pairs.push(['lchunk', c.lossChunk]);
  return pairs;
}

/** The state as a query string (no leading "?"); a number box left empty is left out. */
export function toQuery(s: UrlState): string {
  const c = s.config;
  const m = c.model;
  const pairs: [string, string | number][] = [
    ['preset', c.preset],
    ['B', c.batch],
    ...Object.entries(MODEL_KEYS).map(([k, f]): [string, number] => [k, m[f]]),
    ['act', m.activation],
    ['kind', m.attentionOnly ? 'attn' : 'gpt'],
    ['combos', c.combos.map(comboText).join(',')],
    ['chunk', c.chunk],
    ['dtype', c.dtype],
    ...trainingPairs(c),
    ['alloc', c.allocator],
    ...(Number.isFinite(c.budget.bytes) ? [['budget', budgetText(c.budget.bytes)] as [string, string]] : []),
    ...(c.measureBatches.every(Number.isFinite)
      ? [['measure', c.measureBatches.join(',')] as [string, string]]
      : []),
    ...(s.selected ? [['at', pointText(s.selected)] as [string, string]] : []),
    ...(s.compare
      ? [['cmp', `${pointText(s.compare.a)},${pointText(s.compare.b)}`] as [string, string]]
      : []),
    ['metric', s.metric],
    ['theme', s.theme],
  ];
  // Values come from closed alphabets (names, digits, '.', ',', '@'); encode anything else anyway.
  const enc = (v: string) => encodeURIComponent(v).replace(/%2C/g, ',').replace(/%40/g, '@');
  return pairs
    .filter(([, v]) => typeof v === 'string' || Number.isFinite(v))
    .map(([k, v]) => `${k}=${enc(String(v))}`)
    .join('&');
}

function parseCombo(text: string): Combo | null {
  const [strategy, retention, ...rest] = text.split('.');
  if (rest.length) return null;
  const s = STRATEGY_NAMES.find((n) => n === strategy);
  const r = RETENTION_NAMES.find((n) => n === retention);
  return s && r ? { strategy: s, retention: r } : null;
}

function parseWhole(text: string): number | null {
  return /^\d{1,10}$/.test(text) ? Number(text) : null;
}

function parsePoint(text: string): PointRef | null {
  const [combo, batch, ...rest] = text.split('@');
  if (rest.length || combo === undefined || batch === undefined) return null;
  const c = parseCombo(combo);
  const b = parseWhole(batch);
  return c && b !== null && b >= 1 ? { combo: c, batch: b } : null;
}

function oneOf<T extends string>(names: readonly T[], text: string): T | null {
  return names.find((n) => n === text) ?? null;
}

/** The query part of a URL, a "?query" or a bare query. */
/** The query of a whole address ("https://…/?a=1"), a query ("?a=1") or bare parameters ("a=1"). */
function queryPart(input: string): string {
  const noQuery = !input.includes('?') && /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
  if (noQuery) return '';
  const q = input.includes('?') ? input.slice(input.indexOf('?') + 1) : input;
  const hash = q.indexOf('#');
  return hash >= 0 ? q.slice(0, hash) : q;
}

function entriesOf(query: string, warnings: string[]): [string, string][] {
  try {
    return [...new URLSearchParams(query).entries()];
  } catch {
    warnings.push('Ignored the address parameters: they could not be read');
    return [];
  }
}

/** Reads a query string over `base`; never throws. */
export function parseQuery(input: string, base: PageConfig): ParsedUrl {
  const warnings: string[] = [];
  const out: ParsedUrl = { config: base, warnings };
  const params = new Map<string, string>();
  const all = entriesOf(queryPart(input), warnings);
  if (all.length > MAX_PARAMS)
    warnings.push(`Ignored ${all.length - MAX_PARAMS} parameters past the first ${MAX_PARAMS}`);
  for (const [key, value] of all.slice(0, MAX_PARAMS)) {
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    if (!KEYS.includes(key)) warnings.push(`Ignored unknown parameter "${shown}"`);
    else if (params.has(key)) warnings.push(`Ignored repeated parameter "${key}"`);
    else if (value.length > MAX_VALUE_LENGTH) warnings.push(`Ignored "${key}": its value is too long`);
    else params.set(key, value);
  }
  const bad = (key: string, why: string) => {
    const v = params.get(key) ?? '';
    warnings.push(`Ignored "${key}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}": ${why}`);
  };

  let model: ModelConfig = { ...base.model };
  const preset = params.get('preset');
  if (preset !== undefined && preset !== 'custom') {
    const p = oneOf(PRESET_NAMES, preset);
    if (p) model = { ...PRESETS[p] };
    else bad('preset', `not one of ${[...PRESET_NAMES, 'custom'].join(', ')}`);
  }
  const whole = (key: string, apply: (n: number) => void) => {
    const v = params.get(key);
    if (v === undefined) return;
    const n = parseWhole(v);
    if (n === null) bad(key, 'not a whole number');
    else apply(n);
  };
  for (const [key, field] of Object.entries(MODEL_KEYS))
    whole(key, (n) => (model = { ...model, [field]: n }));
  const enumParam = <T extends string>(key: string, names: readonly T[], apply: (v: T) => void) => {
    const v = params.get(key);
    if (v === undefined) return;
    const n = oneOf(names, v);
    if (n === null) bad(key, `not one of ${names.join(', ')}`);
    else apply(n);
  };
  enumParam<Activation>('act', ACTIVATIONS, (a) => (model = { ...model, activation: a }));
  enumParam('kind', ['gpt', 'attn'] as const, (k) => (model = { ...model, attentionOnly: k === 'attn' }));

  let config: PageConfig = { ...base, model, preset: presetOf(model) };
  whole('B', (n) => (config = { ...config, batch: n }));
  whole('chunk', (n) => (config = { ...config, chunk: n }));
  enumParam<DType>('dtype', TRAINING_DTYPES, (d) => (config = { ...config, dtype: d }));
  enumParam<OptimizerName>('opt', OPTIMIZERS, (o) => (config = { ...config, optimizer: o }));
  whole('k', (n) => (config = { ...config, microBatches: n }));
  enumParam<LossStrategy>('loss', LOSS_STRATEGIES, (l) => (config = { ...config, loss: l }));
  whole('lchunk', (n) => (config = { ...config, lossChunk: n }));
  enumParam<Allocator>('alloc', ALLOCATORS, (a) => (config = { ...config, allocator: a }));

  const combos = params.get('combos');
  if (combos !== undefined) {
    const items = combos.split(',').filter((s) => s !== '');
    const parsed = items.map(parseCombo);
    const unknown = items.filter((_, i) => parsed[i] === null);
    if (unknown.length)
      warnings.push(
        `Ignored unknown combination${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).join(', ')}`,
      );
    // A list naming only unknown combinations is dropped (the base's stay); an empty one means none.
    if (unknown.length === 0 || unknown.length < items.length)
      config = { ...config, combos: canonicalCombos(parsed.filter((c): c is Combo => c !== null)) };
  }
  const budget = params.get('budget');
  if (budget !== undefined) {
    const match = /^(\d{1,7}(?:\.\d{1,9})?)GB$/i.exec(budget);
    if (match) config = { ...config, budget: budgetOf(Math.round(Number(match[1]) * GB)) };
    else bad('budget', 'not a size in GB such as 6GB');
  }
  const measure = params.get('measure');
  if (measure !== undefined) {
    const batches = measure.split(',').map(parseWhole);
    if (batches.length > 64 || batches.some((b) => b === null)) bad('measure', 'not a list of whole numbers');
    else config = { ...config, measureBatches: batches as number[] };
  }
  out.config = config;

  const at = params.get('at');
  if (at !== undefined) {
    const p = parsePoint(at);
    if (p) out.selected = p;
    else bad('at', 'not a step such as copy.tape@64');
  }
  const cmp = params.get('cmp');
  if (cmp !== undefined) {
    const [a, b, ...rest] = cmp.split(',').map(parsePoint);
    if (a && b && rest.length === 0) out.compare = { a, b };
    else bad('cmp', 'not two steps such as copy.tape@64,view.minimal@64');
  }
  enumParam<Metric>('metric', ['live', 'reserved'], (m) => (out.metric = m));
  enumParam<Theme>('theme', ['light', 'dark'], (t) => (out.theme = t));
  return out;
}
