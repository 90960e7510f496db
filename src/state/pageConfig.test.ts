/** The page's configuration: validation messages in the controls' words, presets, budgets. */
import { describe, expect, it } from 'vitest';
import {
  BUDGET_PRESETS,
  budgetOf,
  DEFAULT_CONFIG,
  parseBatchList,
  planConfigOf,
  validatePageConfig,
  withModel,
  withPreset,
  type PageConfig,
} from './pageConfig';

const edit = (patch: Partial<PageConfig['model']>) => withModel(DEFAULT_CONFIG, patch);

describe('validatePageConfig', () => {
  it('accepts the default configuration', () => {
    expect(validatePageConfig(DEFAULT_CONFIG)).toEqual({});
  });

  it('names each control by its label', () => {
    expect(validatePageConfig(edit({ seq: 70000 }))).toEqual({
      seq: 'Sequence length must be a whole number between 1 and 65536',
    });
    expect(validatePageConfig(edit({ seq: 2.5 })).seq).toBe(
      'Sequence length must be a whole number between 1 and 65536',
    );
    expect(validatePageConfig(edit({ heads: 5 }))).toEqual({
      embd: 'Embedding size 384 is not divisible by 5 heads',
    });
    expect(validatePageConfig(edit({ seq: Number.NaN }))).toEqual({ seq: 'Sequence length needs a value' });
    expect(validatePageConfig(edit({ layers: 0 })).layers).toBe(
      'Layers must be a whole number between 1 and 512',
    );
    expect(validatePageConfig(edit({ vocab: 2 ** 24 + 1 })).vocab).toBe(
      'Vocabulary must be a whole number between 1 and 16777216',
    );
    expect(validatePageConfig({ ...DEFAULT_CONFIG, combos: [] })).toEqual({
      combos: 'Pick at least one strategy × retention',
    });
    expect(validatePageConfig({ ...DEFAULT_CONFIG, batch: 0 }).batch).toBe(
      'Batch size must be a whole number between 1 and 1048576',
    );
    expect(validatePageConfig({ ...DEFAULT_CONFIG, chunk: Number.NaN }).chunk).toBe(
      'Query chunk needs a value',
    );
    expect(
      validatePageConfig({ ...DEFAULT_CONFIG, budget: { id: 'custom', bytes: Number.NaN } }).budget,
    ).toBe('Memory budget needs a value');
    expect(validatePageConfig({ ...DEFAULT_CONFIG, budget: { id: 'custom', bytes: 0 } }).budget).toMatch(
      /above 0/,
    );
    expect(validatePageConfig({ ...DEFAULT_CONFIG, measureBatches: [] }).measureBatches).toBe(
      'Batches to measure needs a value',
    );
    expect(
      validatePageConfig({ ...DEFAULT_CONFIG, measureBatches: parseBatchList('1, x') }).measureBatches,
    ).toMatch(/^Batches to measure must be whole numbers between 1 and 1048576/);
  });
});

describe("the training step's controls", () => {
  it('are validated in their own words', () => {
    const at = (patch: Partial<PageConfig>) => validatePageConfig({ ...DEFAULT_CONFIG, ...patch });
    expect(at({ microBatches: 0 })).toEqual({
      microBatches: 'Micro-batches must be a whole number between 1 and 65536',
    });
    expect(at({ microBatches: Number.NaN })).toEqual({ microBatches: 'Micro-batches needs a value' });
    expect(at({ lossChunk: 70000 })).toEqual({
      lossChunk: 'Loss chunk must be a whole number between 1 and 65536',
    });
    expect(at({ optimizer: 'adam' as never })).toEqual({
      optimizer: 'Optimizer must be one of none, sgd, adamw',
    });
    expect(at({ dtype: 'bf16' as never })).toEqual({ dtype: 'Data type must be one of f32, f16, mixed' });
    expect(at({ loss: 'fused' as never })).toEqual({ loss: 'Loss must be one of standard, chunked' });
    // The engine's own rule, beside the Loss control.
    expect(at({ loss: 'chunked', model: { ...DEFAULT_CONFIG.model, attentionOnly: true } })).toEqual({
      loss: 'The chunked loss chunks the LM head and cross-entropy: an attention-only model has neither (its loss is mean(y²))',
    });
    expect(
      at({ optimizer: 'adamw', dtype: 'mixed', microBatches: 4, loss: 'chunked', lossChunk: 64 }),
    ).toEqual({});
  });

  it('reach the planner', () => {
    const c: PageConfig = {
      ...DEFAULT_CONFIG,
      optimizer: 'sgd',
      dtype: 'mixed',
      microBatches: 8,
      loss: 'chunked',
      lossChunk: 32,
    };
    expect(planConfigOf(c)).toMatchObject({
      optimizer: 'sgd',
      dtype: 'mixed',
      microBatches: 8,
      loss: 'chunked',
      lossChunk: 32,
    });
  });
});

describe('presets and budgets', () => {
  it('a preset sets every model field; an edit switches to custom unless it lands on a preset', () => {
    const tiny = withPreset(DEFAULT_CONFIG, 'tiny');
    expect(tiny.model.seq).toBe(16);
    expect(tiny.preset).toBe('tiny');
    const custom = withModel(tiny, { seq: 32 });
    expect(custom.preset).toBe('custom');
    expect(withModel(custom, { seq: 16 }).preset).toBe('tiny');
  });

  it('labels budgets in GB and GiB and recognises a preset by its bytes', () => {
    expect(BUDGET_PRESETS.map((b) => b.label).slice(0, 2)).toEqual(['4 GB (3.73 GiB)', '6 GB (5.59 GiB)']);
    expect(BUDGET_PRESETS.at(-1)).toEqual({ id: '141GB', bytes: 141e9, label: '141 GB (131.32 GiB)' });
    expect(budgetOf(80e9)).toEqual({ id: '80GB', bytes: 80e9 });
    expect(budgetOf(7e9)).toEqual({ id: 'custom', bytes: 7e9 });
  });

  it('parses the batches to measure', () => {
    expect(parseBatchList(' 1, 2  4,')).toEqual([1, 2, 4]);
    expect(parseBatchList('')).toEqual([]);
    expect(parseBatchList('1.5')).toEqual([Number.NaN]);
  });

  it('gives the planner the model and the options', () => {
    expect(planConfigOf(DEFAULT_CONFIG)).toEqual({
      model: DEFAULT_CONFIG.model,
      chunk: 64,
      dtype: 'f32',
      allocator: 'lazy',
      optimizer: 'none',
      microBatches: 1,
      loss: 'standard',
      lossChunk: 128,
    });
  });
});
