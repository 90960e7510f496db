/// <reference types="vite/client" />
/** The registry lists every op module's OpDef, once, under its own name. */
import { describe, expect, it } from 'vitest';
import { findOp, isAliasOp, opDef, OPS } from './index';
import type { OpDef } from './types';

const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./*.test.ts', '!./index.ts'], {
  eager: true,
});

const isOpDef = (v: unknown): v is OpDef =>
  typeof v === 'object' && v !== null && 'opType' in v && 'infer' in v && 'saves' in v;

describe('the op registry', () => {
  it('registers every OpDef an op module exports, and nothing twice', () => {
    const exported = Object.values(modules).flatMap((m) => Object.values(m).filter(isOpDef));
    expect(exported.length).toBeGreaterThan(25);
    expect(new Set(OPS.map((d) => d.opType)).size).toBe(OPS.length);
    for (const d of exported) expect(opDef(d.opType), d.opType).toBe(d);
    expect(OPS).toHaveLength(exported.length);
  });

  it('knows what onnxruntime aliases, and refuses an unknown op by name', () => {
    expect(['Reshape', 'Identity'].filter(isAliasOp)).toEqual(['Reshape', 'Identity']);
    expect(OPS.filter((d) => d.ort?.alias).map((d) => d.opType)).toEqual(['Identity', 'Reshape']);
    expect(findOp('Squeeze')).toBeUndefined();
    expect(() => opDef('Squeeze')).toThrow('op Squeeze is not registered in src/engine/ops/index.ts');
  });
});
