/**
 * Reverse-mode autodiff over the IR (micrograd's walk, building nodes instead of numbers): visit
 * the forward nodes in reverse, let each op's gradient rule add backward nodes, and sum the
 * contributions that reach a tensor. The knowledge lives in the op modules.
 *
 * Tensors listed as `dropped` are not kept for the backward pass: when a gradient rule reads one,
 * its producer is recomputed on demand (phase `recompute`) from tensors that were kept, just
 * before the gradient that needs it. That one mechanism gives checkpointing and chunked attention.
 *
 * A composite op (Graph.composite: several forward nodes, one gradient rule, e.g. cross-entropy)
 * is differentiated as one node, when the walk reaches its last node; its other nodes are skipped.
 */
import type { Graph } from '../graph/graph';
import type { GraphNode, TensorInfo } from '../graph/types';
import { add } from '../ops/add';
import { expand } from '../ops/expand';
import { identity } from '../ops/identity';
import { compositeDef, GRAD_BUILDERS, opDef } from '../ops/index';
import type { GradContext, OpDef } from '../ops/types';
import { gradName } from '../vocabulary';

export interface BackwardOptions {
  /** Forward tensors recomputed in the backward pass instead of kept. */
  dropped?: ReadonlySet<string>;
  /**
   * d(objective)/d(loss), 1 unless given: 1/k for one of k micro-batches, whose gradients are
   * summed (PyTorch's `(loss / k).backward()`, without a node).
   */
  seed?: number;
}

/** Tensors that depend on any of `sources` (and so need gradients). */
function dependents(g: Graph, sources: readonly string[]): Set<string> {
  const live = new Set(sources);
  for (const n of g.nodes) {
    if (readsAny(n.inputs, live)) for (const o of n.outputs) live.add(o);
  }
  return live;
}

/** Whether any of `names` is in `set`. */
function readsAny(
  names: readonly string[],
  set: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): boolean {
  for (const n of names) if (set.has(n)) return true;
  return false;
}

/** The node that writes `tensor` (one at most: a tensor is declared once). */
function producerOf(g: Graph, tensor: string): GraphNode | undefined {
  for (let i = g.nodes.length - 1; i >= 0; i--) if (g.nodes[i]!.outputs.includes(tensor)) return g.nodes[i];
  return undefined;
}

/** Recomputes dropped forward tensors on demand, once each. */
class Recomputer {
  private readonly copies = new Map<string, string>();
  /** The forward nodes by output, made at the first recomputation (many graphs drop nothing). */
  private producers: Map<string, GraphNode> | null = null;

  /** `forward`: the forward nodes, in any order (each tensor has one producer). */
  constructor(
    private readonly g: Graph,
    private readonly dropped: ReadonlySet<string>,
    private readonly forward: readonly GraphNode[],
  ) {}

  private producer(tensor: string): GraphNode | undefined {
    if (!this.producers) {
      this.producers = new Map();
      for (const n of this.forward) for (const o of n.outputs) this.producers.set(o, n);
    }
    return this.producers.get(tensor);
  }

  /** `tensor` itself when kept, else its recomputed copy. */
  materialize(tensor: string): string {
    if (!this.dropped.has(tensor)) return tensor;
    const done = this.copies.get(tensor);
    if (done) return done;
    const node = this.producer(tensor);
    if (!node) throw new Error(`cannot recompute ${tensor}: no producer`);
    const { g } = this;
    const inputs = node.inputs.map((i) => this.materialize(i));
    const outs = g.withLabelPrefix('', () =>
      g.inPhase('recompute', () =>
        g.atScope(node.scope, () =>
          g.add(opDef(node.opType), inputs, node.attrs, `${localName(node)}.recompute`),
        ),
      ),
    );
    node.outputs.forEach((o, i) => this.copies.set(o, outs[i]!));
    return this.copies.get(tensor)!;
  }
}

/** A node's name within its scope: after its last '/' (found by hand: lastIndexOf is a runtime call). */
function localName(node: GraphNode): string {
  const { name } = node;
  let i = name.length - 1;
  while (i >= 0 && name.charCodeAt(i) !== SLASH) i--;
  return name.slice(i + 1);
}
const SLASH = '/'.charCodeAt(0);

/** What a gradient rule sees of one node (a class: one per node differentiated, no closures). */
class NodeGradContext implements GradContext {
  readonly build = GRAD_BUILDERS;

  constructor(
    readonly g: Graph,
    readonly node: GraphNode,
    private readonly saves: OpDef['saves'],
    private readonly grads: Map<string, string>,
    private readonly needsGrad: Set<string>,
    private readonly saved: Recomputer,
  ) {}

  dy(i: number): string | null {
    return this.grads.get(this.node.outputs[i]!) ?? null;
  }

  input(i: number): string {
    if (!this.saves.inputs.includes(i))
      throw new Error(`${this.node.opType} gradient reads input ${i}, not declared saved`);
    return this.saved.materialize(this.node.inputs[i]!);
  }

  output(i: number): string {
    if (!this.saves.outputs.includes(i))
      throw new Error(`${this.node.opType} gradient reads output ${i}, not declared saved`);
    return this.saved.materialize(this.node.outputs[i]!);
  }

  inputInfo(i: number): TensorInfo {
    return this.g.info(this.node.inputs[i]!);
  }

  needs(i: number): boolean {
    return this.needsGrad.has(this.node.inputs[i]!);
  }
}

/**
 * Appends the backward pass for `loss` (a scalar) with respect to `wrt`, and sets the graph's
 * outputs to the loss followed by `grad/<name>` for each of `wrt`.
 */
export function appendBackward(
  g: Graph,
  loss: string,
  wrt: readonly string[],
  opts: BackwardOptions = {},
): void {
  const needsGrad = dependents(g, wrt);
  if (!needsGrad.has(loss)) throw new Error(`loss ${loss} does not depend on the differentiated tensors`);
  const forward = [...g.nodes];
  const saved = new Recomputer(g, opts.dropped ?? new Set(), forward);
  const pending = new Map<string, string[]>();
  const grads = new Map<string, string>();
  const contribute = (tensor: string, grad: string) => {
    const parts = pending.get(tensor);
    if (parts) parts.push(grad);
    else pending.set(tensor, [grad]);
  };
  /** Sums the contributions to `tensor` (an Add chain: ORT's Sum runs on the CPU). */
  const settle = (tensor: string): string | undefined => {
    const parts = pending.get(tensor);
    if (!parts?.length) return undefined;
    const total = parts.reduce((acc, p) => add(g, acc, p, 'AccumulateGrad'));
    grads.set(tensor, total);
    return total;
  };

  g.inPhase('backward', () => {
    g.atScope(producerOf(g, loss)?.scope ?? 'loss', () => {
      const dtype = g.info(loss).dtype;
      const seed = opts.seed ?? 1;
      // A seed other than 1 (1/k) is a constant of its own, never the graph's equal one (1/2 is
      // also 0.5): the bytes of k > 1 micro-batches do not depend on k (explore/key.ts).
      const dloss =
        seed === 1
          ? g.scalar(dtype, 1, 'dloss')
          : g.constant(dtype, [], { kind: 'floats', values: () => [seed] }, 'dloss');
      contribute(loss, dloss);
    });
    const differentiated = new Set<string>();
    for (const forwardNode of forward.reverse()) {
      const composite = forwardNode.composite;
      if (composite !== undefined && differentiated.has(composite)) continue;
      if (composite !== undefined) differentiated.add(composite);
      const node = composite === undefined ? forwardNode : g.composites.get(composite)!;
      const prefix = composite === undefined ? `${localName(node)}.grad.` : 'grad.';
      g.withLabelPrefix(prefix, () =>
        g.atScope(node.scope, () => {
          for (const o of node.outputs) settle(o);
          if (!readsAny(node.outputs, grads) || !readsAny(node.inputs, needsGrad)) return;
          const op = composite === undefined ? opDef(node.opType) : null;
          const rule = op ?? compositeDef(node.opType);
          if (!rule.grad) throw new Error(`${node.opType} has no gradient rule`);
          const saves = op ? op.saves : compositeDef(node.opType).saves(node);
          const ds = rule.grad(new NodeGradContext(g, node, saves, grads, needsGrad, saved));
          for (let i = 0; i < ds.length; i++) {
            const d = ds[i];
            const input = node.inputs[i]!;
            if (d && needsGrad.has(input)) contribute(input, d);
          }
        }),
      );
    }

    g.outputs.splice(0, g.outputs.length, loss);
    g.atScope('grad', () => {
      const finals = wrt.map(
        (x) => settle(x) ?? expand(g, g.scalar(g.info(x).dtype, 0, 'zero'), g.info(x).shape, 'Zeros'),
      );
      const seen = new Set<string>();
      const outs = finals.map((d) => {
        const repeated = seen.has(d);
        seen.add(d);
        return repeated || d === loss || g.info(d).kind !== 'value' ? identity(g, d) : d;
      });
      const names = wrt.map(gradName);
      g.renameAll(outs.map((d, i) => [d, names[i]!] as const));
      g.outputs.push(...names);
    });
  });
}
