/** Builds a graph op by op, inferring shapes as it goes; the same builder serves forward and backward. */
import type { Category } from '../vocabulary';
import {
  type Attrs,
  type ConstValue,
  type Dim,
  type DType,
  type GraphNode,
  NO_ATTRS,
  type NodeDef,
  type Phase,
  type Shape,
  type TensorInfo,
} from './types';
import { SharedConstants } from './constants';
import { makeNode, renameInNodes } from './nodes';

/**
 * Mixed precision: parameters are declared in `master` dtype and every use reads a compute copy,
 * made by `copy` (a Cast node) where the model asks for the parameter.
 */
export interface ParamCopies {
  master: DType;
  copy(g: Graph, param: string, to: DType): string;
}

export class Graph {
  readonly tensors = new Map<string, TensorInfo>();
  readonly nodes: GraphNode[] = [];
  /** Graph inputs fed per step, in declaration order. */
  readonly inputs: string[] = [];
  /** Trained parameters, in declaration order. */
  readonly params: string[] = [];
  readonly outputs: string[] = [];
  /**
   * Forward tensors kept alive until the step ends (retention `tape`): serialised as extra graph
   * outputs, which onnxruntime never frees during a run.
   */
  readonly retained: string[] = [];
  /**
   * Categories of tensors the planner cannot tell from their place in the graph: persistent
   * inputs (optimizer state, accumulated gradients), updated parameters and state, gradients an
   * optimizer consumes. Others get theirs from the liveness rules (plan/liveness.ts).
   */
  readonly categories = new Map<string, Category>();
  /** Set for mixed precision (see ParamCopies); parameters are then declared in its master dtype. */
  paramCopies: ParamCopies | null = null;
  /**
   * Composite ops by name (Graph.composite): each as one node over the composite's inputs and
   * outputs, which the autodiff differentiates by the composite's own rule.
   */
  readonly composites = new Map<string, GraphNode>();
  private currentComposite: string | undefined;
  private currentPhase: Phase = 'forward';
  private currentLabelPrefix = '';
  /**
   * The current scope: its segments joined with '/' (read for every node added), and whether it
   * has any segment (a segment may be empty, so `joinedScope` alone cannot tell). Only the joined
   * string is kept: every change of scope would otherwise split and join the segments again.
   */
  private joinedScope = '';
  private hasScope = false;
  /** What a node's name starts with: `joinedScope` and a '/', or nothing at the top. */
  private namePrefix = '';
  /** The last scope `atScope` found joined already, and its name prefix. */
  private lastAtScope: string | undefined;
  private lastAtPrefix = '';
  /** The innermost region (`inRegion`) now, if any. */
  private currentRegion: string | undefined;
  private constCount = 0;
  private sharedConsts = new SharedConstants();

  get scope(): string {
    return this.joinedScope;
  }

  /** The phase given to the nodes added now ('forward' unless inside `inPhase`). */
  get phase(): Phase {
    return this.currentPhase;
  }

  /** Runs `fn` with the nodes it adds in `phase` (restored afterwards, even on an exception). */
  inPhase<T>(phase: Phase, fn: () => T): T {
    const saved = this.currentPhase;
    this.currentPhase = phase;
    try {
      return fn();
    } finally {
      this.currentPhase = saved;
    }
  }

  /**
   * Runs `fn` with `prefix` put before the labels of the nodes it adds (autodiff names backward
   * nodes after the forward node they differentiate); restored afterwards.
   */
  withLabelPrefix<T>(prefix: string, fn: () => T): T {
    const saved = this.currentLabelPrefix;
    this.currentLabelPrefix = prefix;
    try {
      return fn();
    } finally {
      this.currentLabelPrefix = saved;
    }
  }

  /** Runs `fn` with `name` appended to the current scope. */
  within<T>(name: string, fn: () => T): T {
    const saved = this.joinedScope;
    const savedHas = this.hasScope;
    const savedPrefix = this.namePrefix;
    this.setScope(savedHas ? `${saved}/${name}` : name, true);
    try {
      return fn();
    } finally {
      this.joinedScope = saved;
      this.hasScope = savedHas;
      this.namePrefix = savedPrefix;
    }
  }

  /** Tags the forward nodes `fn` adds with a recompute region (the innermost wins). */
  inRegion<T>(name: string, fn: () => T): T {
    const saved = this.currentRegion;
    this.currentRegion = name;
    try {
      return fn();
    } finally {
      this.currentRegion = saved;
    }
  }

  /** Runs `fn` with the scope replaced by `scope` (used by autodiff to reuse a forward node's scope). */
  atScope<T>(scope: string, fn: () => T): T {
    const saved = this.joinedScope;
    const savedHas = this.hasScope;
    const savedPrefix = this.namePrefix;
    // The scope's non-empty segments; a scope without empty ones (every node's) is its own join.
    // The autodiff asks for the scope of each forward node in turn: mostly the one asked before.
    if (scope === this.lastAtScope) {
      this.joinedScope = scope;
      this.hasScope = true;
      this.namePrefix = this.lastAtPrefix;
    } else if (scope === '' || scope[0] === '/' || scope[scope.length - 1] === '/' || scope.includes('//')) {
      const segments = scope.split('/').filter(Boolean);
      this.setScope(segments.join('/'), segments.length > 0);
    } else {
      this.setScope(scope, true);
      this.lastAtScope = scope;
      this.lastAtPrefix = this.namePrefix;
    }
    try {
      return fn();
    } finally {
      this.joinedScope = saved;
      this.hasScope = savedHas;
      this.namePrefix = savedPrefix;
    }
  }

  private setScope(joined: string, has: boolean): void {
    this.joinedScope = joined;
    this.hasScope = has;
    this.namePrefix = joined ? `${joined}/` : '';
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`unknown tensor ${name}`);
    return t;
  }

  /** A graph input; `category` for a persistent one (optimizer state, accumulated gradients). */
  input(name: string, shape: Shape, dtype: DType, category?: Category): string {
    this.inputs.push(this.declare({ name, shape, dtype, kind: 'input' }));
    if (category) this.categories.set(name, category);
    return name;
  }

  /**
   * A trained parameter; returns the tensor the model reads: the parameter itself, or with
   * `paramCopies` (mixed precision) its compute copy in `dtype` of a parameter held in the master dtype.
   */
  param(name: string, shape: Shape, dtype: DType): string {
    const copies = this.paramCopies;
    this.params.push(this.declare({ name, shape, dtype: copies ? copies.master : dtype, kind: 'param' }));
    return copies && copies.master !== dtype ? copies.copy(this, name, dtype) : name;
  }

  /**
   * A constant tensor. With `key`, one constant is shared by every caller passing the same key
   * (e.g. one causal mask for all layers), as one initializer, one GPU buffer.
   */
  constant(dtype: DType, shape: Shape, value: ConstValue, hint = 'const', key?: string): string {
    const shared = key === undefined ? undefined : this.sharedConsts.byKey.get(key);
    if (shared) return shared;
    const name = this.declare({ name: `${hint}_${this.constCount++}`, shape, dtype, kind: 'const', value });
    if (key !== undefined) this.sharedConsts.byKey.set(key, name);
    return name;
  }

  /** An int64 vector constant (shapes, axes, split sizes); may mention the batch. */
  intsConst(values: readonly Dim[], hint = 'ints'): string {
    const at = this.sharedConsts.intsAt(values);
    return (at.name ??= this.constant(
      'i64',
      [values.length],
      { kind: 'ints', values },
      hint,
      `ints:${values.join(',')}`,
    ));
  }

  /** A scalar float constant of the given dtype. */
  scalar(dtype: DType, value: number, hint = 'scalar'): string {
    return (
      this.sharedConsts.scalar(dtype, value) ??
      this.sharedConsts.setScalar(
        dtype,
        value,
        this.constant(dtype, [], { kind: 'floats', values: () => [value] }, hint, `scalar:${dtype}:${value}`),
      )
    );
  }

  /**
   * Adds a composite op (ops/types.ts, CompositeDef): `body` adds its forward nodes, within the
   * scope `label`, and returns its outputs. The autodiff differentiates it as one node by its own
   * gradient rule, never node by node, so nothing outside may read its other tensors.
   */
  composite(
    opType: string,
    inputs: readonly string[],
    attrs: Attrs,
    label: string,
    body: () => string[],
  ): string[] {
    if (this.currentComposite) throw new Error(`composite ${opType} inside ${this.currentComposite}`);
    if (this.currentPhase !== 'forward') throw new Error(`composite ${opType} outside the forward pass`);
    return this.within(label, () => {
      const name = this.uniqueNodeName(`${this.scope}/${opType}`);
      this.otherNodeNames.add(name);
      this.currentComposite = name;
      let outputs: string[];
      try {
        outputs = body();
      } finally {
        this.currentComposite = undefined;
      }
      const node = makeNode(
        name,
        opType,
        [...inputs],
        outputs,
        attrs,
        this.scope,
        this.phase,
        undefined,
        undefined,
      );
      this.composites.set(name, node);
      return outputs;
    });
  }

  /** Adds a node of `def`, inferring its outputs; returns the output tensor names. */
  add(def: NodeDef, inputs: readonly string[], attrs: Attrs = NO_ATTRS, label?: string): string[] {
    // This runs for every node of every graph built: arrays of their exact size, no closures.
    const infos = new Array<TensorInfo>(inputs.length);
    for (let i = 0; i < inputs.length; i++) infos[i] = this.info(inputs[i]!);
    const specs = def.infer(infos, attrs);
    const scope = this.joinedScope;
    const name = this.uniqueNodeName(`${this.namePrefix}${this.currentLabelPrefix}${label ?? def.opType}`);
    let outputs: string[];
    if (specs.length === 1) {
      // The usual node: its output has its name (free of tensors: uniqueNodeName made sure).
      const s = specs[0]!;
      this.tensors.set(name, { name, shape: s.shape, dtype: s.dtype, kind: 'value' });
      outputs = [name];
    } else {
      this.otherNodeNames.add(name);
      outputs = specs.map((s, i) =>
        this.declare({ name: `${name}:${i}`, shape: s.shape, dtype: s.dtype, kind: 'value' }),
      );
    }
    const region = this.currentPhase === 'forward' ? this.currentRegion : undefined;
    this.nodes.push(
      makeNode(
        name,
        def.opType,
        inputs.slice(),
        outputs,
        attrs,
        scope,
        this.currentPhase,
        region || undefined,
        this.currentComposite || undefined,
      ),
    );
    return outputs;
  }

  /** Adds a single-output node. */
  add1(def: NodeDef, inputs: readonly string[], attrs: Attrs = NO_ATTRS, label?: string): string {
    const out = this.add(def, inputs, attrs, label)[0];
    if (out === undefined) throw new Error(`${def.opType} produced no output`);
    return out;
  }

  /** Renames a node-produced tensor everywhere (used to give outputs their public names). */
  rename(from: string, to: string): void {
    this.renameAll([[from, to]]);
  }

  /**
   * Renames node-produced tensors everywhere, in one pass over the nodes whatever the number of
   * names (renaming one at a time would make giving every gradient its name quadratic).
   */
  renameAll(pairs: readonly (readonly [string, string])[]): void {
    const renames = new Map<string, string>();
    for (const [from, to] of pairs) {
      const t = this.info(from);
      if (t.kind !== 'value') throw new Error(`only node outputs can be renamed, not ${from}`);
      // (Every name renamed is a tensor's, so this also refuses renaming to one of them.)
      if (this.tensors.has(to)) throw new Error(`tensor ${to} already exists`);
      renames.set(from, to);
    }
    for (const [from, to] of renames) {
      const t = this.info(from);
      this.tensors.delete(from);
      const renamed: TensorInfo = { name: to, shape: t.shape, dtype: t.dtype, kind: t.kind };
      if (t.value !== undefined) renamed.value = t.value;
      this.tensors.set(to, renamed);
      const category = this.categories.get(from);
      if (category) {
        this.categories.delete(from);
        this.categories.set(to, category);
      }
    }
    renameInNodes(this.nodes, this.composites, renames, (name) => this.otherNodeNames.add(name));
    for (let k = 0; k < this.outputs.length; k++) {
      const to = renames.get(this.outputs[k]!);
      if (to !== undefined) this.outputs[k] = to;
    }
  }

  /**
   * A copy whose lists and tensor table change without touching this graph. Nodes and tensor
   * infos are shared: the builder never mutates one in place (a rename replaces it).
   */
  clone(): Graph {
    const g = new Graph();
    for (const [name, t] of this.tensors) g.tensors.set(name, t);
    for (const n of this.nodes) g.nodes.push(n);
    for (const [to, from] of [
      [g.inputs, this.inputs],
      [g.params, this.params],
      [g.outputs, this.outputs],
      [g.retained, this.retained],
    ] as const)
      for (const name of from) to.push(name);
    for (const [name, category] of this.categories) g.categories.set(name, category);
    g.paramCopies = this.paramCopies;
    for (const [name, c] of this.composites) g.composites.set(name, c);
    g.constCount = this.constCount;
    g.sharedConsts = this.sharedConsts.copy();
    for (const name of this.otherNodeNames) g.otherNodeNames.add(name);
    for (const [base, i] of this.lastSuffix) g.lastSuffix.set(base, i);
    return g;
  }

  private declare(t: TensorInfo): string {
    if (this.tensors.has(t.name)) throw new Error(`tensor ${t.name} declared twice`);
    this.tensors.set(t.name, t);
    return t.name;
  }

  /**
   * Node names that are not also tensor names: of nodes with other than one output, of
   * composites, of nodes whose output was renamed. A node name is taken for good; most are the
   * name of their node's output, which the tensor table holds, so this set (kept out of the way
   * of every node added) and that table hold every node name between them.
   */
  private readonly otherNodeNames = new Set<string>();

  /**
   * Per base name, the suffix of the name uniqueNodeName gave last (1: the base itself). A name
   * given is taken for good (a renamed output's node keeps its name in `otherNodeNames`), so the
   * next search starts after it: the backward pass adds hundreds of nodes of one base name, and
   * searching from `base` each time was quadratic.
   */
  private readonly lastSuffix = new Map<string, number>();

  /**
   * `base`, or `base_2`, `base_3`... : the first name that is neither a node's nor a tensor's.
   * The caller takes it: as its output's name, or in `otherNodeNames`.
   */
  private uniqueNodeName(base: string): string {
    const last = this.lastSuffix.get(base);
    let i = last === undefined ? 1 : last + 1;
    let name = i === 1 ? base : `${base}_${i}`;
    while (this.otherNodeNames.has(name) || this.tensors.has(name)) name = `${base}_${++i}`;
    this.lastSuffix.set(base, i);
    return name;
  }
}
