/** The graph IR: tensors with a symbolic batch dimension, nodes with a scope and a phase. */
import type { Phase } from '../vocabulary';

/** A dimension: a number, or the symbolic batch size `B`. */
export type Dim = number | 'B';
export type Shape = readonly Dim[];

export type DType = 'f32' | 'f16' | 'f64' | 'i64' | 'bool';
export type FloatDType = 'f32' | 'f16' | 'f64';

/** Each dtype's onnx.TensorProto.DataType value (Cast's `to`, initializers, graph inputs). */
export const ONNX_DTYPE: Readonly<Record<DType, number>> = { f32: 1, bool: 9, i64: 7, f16: 10, f64: 11 };

/**
 * input: fed per step (activations, tokens); param: trained weights; const: values fixed by the
 * graph builder (shapes, masks, scales); value: produced by a node.
 */
export type TensorKind = 'input' | 'param' | 'const' | 'value';

/**
 * Constant data. Int lists may mention the batch (`'B'`), resolved when the graph is serialized.
 * Float and bool data are computed only then (a T×T mask is never built to plan a graph).
 */
export type ConstValue =
  | { kind: 'ints'; values: readonly Dim[] }
  | { kind: 'floats'; values: (batch: number) => readonly number[] }
  /** Truthy entries are true (a Uint8Array of 0/1 is the compact form). */
  | { kind: 'bools'; values: () => ArrayLike<boolean | number> };

export interface TensorInfo {
  name: string;
  shape: Shape;
  dtype: DType;
  kind: TensorKind;
  /** For `const` tensors only. */
  value?: ConstValue;
}

export type Attr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'string'; value: string };

export type Attrs = Readonly<Record<string, Attr>>;

/** The attributes of a node that has none: one object for all of them (nodes are never edited). */
export const NO_ATTRS: Attrs = Object.freeze({});

export type { Phase };

export interface GraphNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs: Attrs;
  /** e.g. `block0/attention/scores`; `loss` for the loss. */
  scope: string;
  phase: Phase;
  /**
   * Set on forward nodes whose outputs the backward pass recomputes instead of keeping (a
   * checkpointed block, an attention chunk); the model builder decides which regions drop.
   */
  region?: string;
  /** Set on the forward nodes of a composite op (Graph.composite): the composite's name. */
  composite?: string;
}

/** What the graph builder needs of an op: its name, domain and shape rule (ops/types.ts's OpDef adds the rest). */
export interface NodeDef {
  opType: string;
  /** ONNX domain; '' (default) unless com.microsoft. */
  domain?: string;
  infer(inputs: readonly TensorInfo[], attrs: Attrs): { shape: Shape; dtype: DType }[];
}

export const int = (value: number): Attr => ({ type: 'int', value });
export const float = (value: number): Attr => ({ type: 'float', value });
export const ints = (value: readonly number[]): Attr => ({ type: 'ints', value });
export const str = (value: string): Attr => ({ type: 'string', value });
