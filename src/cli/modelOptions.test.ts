import { describe, expect, it } from 'vitest';
import { PRESETS } from '../engine/models/spec';
import { UsageError } from './io';
import {
  buildSpecs,
  DEFAULTS,
  parseChoice,
  parseList,
  parseModelFlags,
  parsePositiveInt,
  type ModelFlags,
} from './modelOptions';

const flags = (over: Partial<ModelFlags> = {}): ModelFlags => ({ ...DEFAULTS, ...over });
const one = { lists: false };
const many = { lists: true };

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parsePositiveInt', () => {
  it('accepts decimal digits', () => {
    expect(parsePositiveInt('seq', '128')).toBe(128);
    expect(parsePositiveInt('seq', ' 7 ')).toBe(7);
  });
  it.each(['0', '-1', '1.5', 'abc', '', '1e3', '0x10', '99999999999999999999'])('rejects %j', (text) => {
    expect(usage(() => parsePositiveInt('seq', text))).toBe(
      `--seq must be a positive integer, got ${JSON.stringify(text)}`,
    );
  });
});

describe('parseChoice', () => {
  it('accepts a listed value and names the choices otherwise', () => {
    expect(parseChoice('dtype', 'f16', ['f32', 'f16'])).toBe('f16');
    expect(usage(() => parseChoice('dtype', 'f64', ['f32', 'f16']))).toBe(
      '--dtype must be one of f32, f16, got "f64"',
    );
  });
});

describe('parseList', () => {
  const int = (s: string) => parsePositiveInt('batch', s);
  it('splits comma lists, keeping the order', () => {
    expect(parseList('batch', '4,1, 2', int)).toEqual([4, 1, 2]);
    expect(parseList('batch', '8', int, one)).toEqual([8]);
  });
  it('rejects empty items, repeats, bad items, and lists where one value is wanted', () => {
    expect(usage(() => parseList('batch', '1,,2', int))).toBe('--batch has an empty item in "1,,2"');
    expect(usage(() => parseList('batch', '1,2,1', int))).toBe('--batch lists "1" twice');
    expect(usage(() => parseList('batch', '1,x', int))).toBe('--batch must be a positive integer, got "x"');
    expect(usage(() => parseList('batch', '1,2', int, one))).toBe('--batch takes one value here, got "1,2"');
  });
});

describe('parseModelFlags', () => {
  it('defaults to the tiny preset, view, minimal, chunk 64, f32, batch 1', () => {
    const sel = parseModelFlags(flags(), one);
    expect(sel).toEqual({
      preset: 'tiny',
      model: { ...PRESETS.tiny },
      strategies: ['view'],
      retentions: ['minimal'],
      chunk: 64,
      dtype: 'f32',
      optimizer: 'none',
      loss: 'standard',
      lossChunk: 128,
      batches: [1],
      microBatches: 1,
    });
    expect(buildSpecs(sel)).toEqual([
      {
        model: { ...PRESETS.tiny },
        strategy: 'view',
        retention: 'minimal',
        chunk: 64,
        dtype: 'f32',
        optimizer: 'none',
        microBatches: 1,
        loss: 'standard',
        lossChunk: 128,
      },
    ]);
  });

  it('--optimizer, --dtype mixed and --micro-batch: the effective batch as k micro-batches', () => {
    const sel = parseModelFlags(
      flags({ optimizer: 'adamw', dtype: 'mixed', batch: '64', microBatch: '16' }),
      many,
    );
    expect([sel.optimizer, sel.dtype, sel.batches, sel.microBatches]).toEqual(['adamw', 'mixed', [16], 4]);
    expect(buildSpecs(sel)[0]).toMatchObject({ optimizer: 'adamw', dtype: 'mixed', microBatches: 4 });
  });

  it('applies overrides to the preset', () => {
    const sel = parseModelFlags(
      flags({
        preset: 'seed',
        vocab: '100',
        seq: '64',
        embd: '96',
        heads: '3',
        layers: '1',
        mlpRatio: '2',
        activation: 'gelu',
        chunk: '16',
        dtype: 'f16',
        batch: '8',
      }),
      one,
    );
    expect(sel.model).toEqual({
      vocab: 100,
      seq: 64,
      embd: 96,
      heads: 3,
      layers: 1,
      mlpRatio: 2,
      activation: 'gelu',
      attentionOnly: false,
    });
    expect([sel.chunk, sel.dtype, sel.batches]).toEqual([16, 'f16', [8]]);
  });

  it('takes lists when asked and crosses strategies with retentions', () => {
    const sel = parseModelFlags(
      flags({ strategy: 'copy,view', retention: 'minimal,tape', batch: '1,2,4' }),
      many,
    );
    expect(sel.batches).toEqual([1, 2, 4]);
    expect(buildSpecs(sel).map((s) => `${s.strategy}/${s.retention}`)).toEqual([
      'copy/minimal',
      'copy/tape',
      'view/minimal',
      'view/tape',
    ]);
  });

  it.each<[Partial<ModelFlags>, string]>([
    [{ preset: 'gpt3' }, '--preset must be one of seed, gpt2-small, tiny, got "gpt3"'],
    [{ seq: '0' }, '--seq must be a positive integer, got "0"'],
    [{ embd: 'wide' }, '--embd must be a positive integer, got "wide"'],
    [{ mlpRatio: '2.5' }, '--mlp-ratio must be a positive integer, got "2.5"'],
    [{ activation: 'tanh' }, '--activation must be one of relu, gelu, got "tanh"'],
    [{ embd: '30' }, 'embedding size 30 is not divisible by 4 heads'],
    [{ heads: '5' }, 'embedding size 32 is not divisible by 5 heads'],
    [{ strategy: 'flash' }, '--strategy must be one of copy, view, fused, chunked, got "flash"'],
    [{ strategy: 'copy,view' }, '--strategy takes one value here, got "copy,view"'],
    [{ retention: 'all' }, '--retention must be one of minimal, tape, checkpoint, got "all"'],
    [{ chunk: '-4' }, '--chunk must be a positive integer, got "-4"'],
    [{ dtype: 'bf16' }, '--dtype must be one of f32, f16, mixed, got "bf16"'],
    [{ optimizer: 'adam' }, '--optimizer must be one of none, sgd, adamw, got "adam"'],
    [{ batch: '64', microBatch: '0' }, '--micro-batch must be a positive integer, got "0"'],
    [{ batch: '64', microBatch: '24' }, '--micro-batch 24 does not divide --batch 64 (the effective batch)'],
    [
      { batch: '64', microBatch: '128' },
      '--micro-batch 128 does not divide --batch 64 (the effective batch)',
    ],
    [{ batch: '0' }, '--batch must be a positive integer, got "0"'],
    [{ batch: '2,4' }, '--batch takes one value here, got "2,4"'],
  ])('%j -> %s', (over, message) => {
    expect(usage(() => parseModelFlags(flags(over), one))).toBe(message);
  });
});
