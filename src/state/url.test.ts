/** The URL query string: round trips, and hostile or broken parameters dropped with a warning. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PageConfig } from './pageConfig';
import { parseQuery, toQuery, type UrlState } from './url';

const state = (config: PageConfig = DEFAULT_CONFIG): UrlState => ({
  config,
  selected: { combo: { strategy: 'copy', retention: 'tape' }, batch: 64 },
  compare: {
    a: { combo: { strategy: 'copy', retention: 'tape' }, batch: 64 },
    b: { combo: { strategy: 'view', retention: 'minimal' }, batch: 64 },
  },
  metric: 'live',
  theme: 'dark',
});

describe('toQuery', () => {
  it('writes short readable keys', () => {
    expect(toQuery(state())).toBe(
      'preset=seed&B=64&T=256&C=384&H=6&L=6&mlp=4&V=65&act=relu&kind=gpt' +
        '&combos=copy.tape,view.minimal,fused.minimal&chunk=64&dtype=f32&alloc=lazy&budget=6GB&measure=1,2' +
        '&at=copy.tape@64&cmp=copy.tape@64,view.minimal@64&metric=live&theme=dark',
    );
  });
});

describe('the training step in the address', () => {
  it('writes the optimizer, micro-batches and loss only when they differ from the defaults', () => {
    expect(toQuery(state())).not.toMatch(/[?&](opt|k|loss|lchunk)=/);
    const trained: PageConfig = {
      ...DEFAULT_CONFIG,
      optimizer: 'sgd',
      microBatches: 8,
      loss: 'chunked',
      lossChunk: 64,
      dtype: 'f16',
    };
    const q = toQuery(state(trained));
    expect(q).toContain('&dtype=f16&opt=sgd&k=8&loss=chunked&lchunk=64&');
    expect(parseQuery(q, DEFAULT_CONFIG)).toEqual({ ...state(trained), warnings: [] });
  });

  it('drops unreadable values with a warning naming them; values that parse are kept for validation', () => {
    const p = parseQuery('?opt=adam&k=two&loss=fused&lchunk=-1&dtype=bf16', DEFAULT_CONFIG);
    expect(p.warnings).toEqual([
      'Ignored "dtype=bf16": not one of f32, f16, mixed',
      'Ignored "opt=adam": not one of none, sgd, adamw',
      'Ignored "k=two": not a whole number',
      'Ignored "loss=fused": not one of standard, chunked',
      'Ignored "lchunk=-1": not a whole number',
    ]);
    expect(p.config).toEqual(DEFAULT_CONFIG);
    expect(parseQuery('?k=0', DEFAULT_CONFIG).config.microBatches).toBe(0);
  });
});

describe('parseQuery', () => {
  it('round-trips the defaults and a custom attention-only configuration', () => {
    const s = state();
    const back = parseQuery(toQuery(s), DEFAULT_CONFIG);
    expect(back).toEqual({ ...s, warnings: [] });

    const custom: PageConfig = {
      preset: 'custom',
      model: {
        vocab: 100,
        seq: 512,
        embd: 256,
        heads: 8,
        layers: 3,
        mlpRatio: 2,
        activation: 'gelu',
        attentionOnly: true,
      },
      batch: 7,
      combos: [
        { strategy: 'view', retention: 'checkpoint' },
        { strategy: 'chunked', retention: 'tape' },
      ],
      chunk: 32,
      dtype: 'mixed',
      optimizer: 'adamw',
      microBatches: 4,
      loss: 'standard',
      lossChunk: 32,
      allocator: 'bucket',
      budget: { id: 'custom', bytes: 7.5e9 },
      measureBatches: [1, 4, 16],
    };
    const s2: UrlState = { ...state(custom), compare: null, metric: 'reserved', theme: 'light' };
    const q = toQuery(s2);
    expect(q).toContain('kind=attn');
    expect(q).toContain('budget=7.5GB');
    expect(q).toContain('dtype=mixed&opt=adamw&k=4&lchunk=32&alloc=bucket');
    const { warnings, ...rest } = parseQuery(`https://example.test/app/?${q}#top`, DEFAULT_CONFIG);
    expect(warnings).toEqual([]);
    expect(rest).toEqual({ config: custom, selected: s2.selected, metric: 'reserved', theme: 'light' });
  });

  it('reads the query of a whole address, and nothing from an address without one', () => {
    const s = state();
    expect(parseQuery(`http://localhost:5173/?${toQuery(s)}#top`, DEFAULT_CONFIG)).toEqual({
      ...s,
      warnings: [],
    });
    const bare = parseQuery('http://localhost:5173/', DEFAULT_CONFIG);
    expect(bare.warnings).toEqual([]);
    expect(bare.config).toEqual(DEFAULT_CONFIG);
  });

  it('applies a preset, then overrides, and names the preset only when the values are its own', () => {
    const tiny = parseQuery('?preset=tiny', DEFAULT_CONFIG).config;
    expect(tiny.preset).toBe('tiny');
    expect(tiny.model.seq).toBe(16);
    const edited = parseQuery('?preset=tiny&T=32', DEFAULT_CONFIG).config;
    expect(edited.preset).toBe('custom');
    expect(edited.model).toMatchObject({ seq: 32, embd: 32 });
    expect(parseQuery('?preset=custom&T=256', DEFAULT_CONFIG).config.preset).toBe('seed');
    expect(parseQuery('?budget=8GB', DEFAULT_CONFIG).config.budget).toEqual({ id: '8GB', bytes: 8e9 });
  });

  it('never throws on hostile input: drops what it cannot read and says so', () => {
    const hostile = [
      'T=abc',
      'B=-3',
      'C=1e400',
      'H=6&H=7',
      'act=<script>',
      'kind=both',
      'combos=copy.tape,evil.none,view.minimal.extra',
      'budget=lots',
      'measure=1,x',
      'at=copy.tape@',
      'cmp=copy.tape@1',
      'metric=max',
      'theme=%E0%A4%A',
      'preset=__proto__',
      'constructor=1',
      `V=${'9'.repeat(600)}`,
    ].join('&');
    const r = parseQuery(hostile, DEFAULT_CONFIG);
    expect(r.config.model).toEqual(DEFAULT_CONFIG.model);
    expect(r.config.batch).toBe(64);
    expect(r.config.combos).toEqual([{ strategy: 'copy', retention: 'tape' }]);
    expect(r.selected).toBeUndefined();
    expect(r.compare).toBeUndefined();
    expect(r.metric).toBeUndefined();
    expect(r.warnings).toEqual([
      'Ignored repeated parameter "H"',
      'Ignored unknown parameter "constructor"',
      'Ignored "V": its value is too long',
      'Ignored "preset=__proto__": not one of seed, gpt2-small, tiny, custom',
      'Ignored "T=abc": not a whole number',
      'Ignored "C=1e400": not a whole number',
      'Ignored "act=<script>": not one of relu, gelu',
      'Ignored "kind=both": not one of gpt, attn',
      'Ignored "B=-3": not a whole number',
      'Ignored unknown combinations evil.none, view.minimal.extra',
      'Ignored "budget=lots": not a size in GB such as 6GB',
      'Ignored "measure=1,x": not a list of whole numbers',
      'Ignored "at=copy.tape@": not a step such as copy.tape@64',
      'Ignored "cmp=copy.tape@1": not two steps such as copy.tape@64,view.minimal@64',
      'Ignored "metric=max": not one of live, reserved',
      expect.stringMatching(/^Ignored "theme=.*": not one of light, dark$/),
    ]);
  });

  it('drops a combination list that names no known combination, keeping the base', () => {
    const r = parseQuery('combos=nope,evil.none', DEFAULT_CONFIG);
    expect(r.config.combos).toEqual(DEFAULT_CONFIG.combos);
    expect(r.warnings).toEqual(['Ignored unknown combinations nope, evil.none']);
    expect(parseQuery('combos=', DEFAULT_CONFIG).config.combos).toEqual([]);
  });

  it('keeps values that parse but are out of range, for the validation to explain', () => {
    const r = parseQuery('B=0&H=5', DEFAULT_CONFIG);
    expect(r.warnings).toEqual([]);
    expect(r.config.batch).toBe(0);
    expect(r.config.model.heads).toBe(5);
  });

  it('caps the number of parameters it reads', () => {
    const many = Array.from({ length: 100 }, (_, i) => `x${i}=1`).join('&');
    const r = parseQuery(many, DEFAULT_CONFIG);
    expect(r.warnings[0]).toBe('Ignored 36 parameters past the first 64');
    expect(r.warnings).toHaveLength(65);
  });
});
