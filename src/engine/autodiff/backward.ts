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
import type { GraphNode } from '../graph/types';
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
    if (n.inputs.some((i) => live.has(i))) for (const o of n.outputs) live.add(o);
  }
  return live;
}

/** Recomputes dropped forward tensors on demand, once each. */
class Recomputer {
  private readonly copies = new Map<string, string>();
  private readonly producers = new Map<string, GraphNode>();

  constructor(
    private readonly g: Graph,
    private readonly dropped: ReadonlySet<string>,
  ) {
    for (const n of g.nodes) for (const o of n.outputs) this.producers.set(o, n);
  }

  /** `tensor` itself when kept, else its recomputed copy. */
  materialize(tensor: string): string {
    if (!this.dropped.has(tensor)) return tensor;
    const done = this.copies.get(tensor);
    if (done) return done;
    const node = this.producers.get(tensor);
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

/** A node's name within its scope. */
const localName = (node: GraphNode): string => node.name.split('/').pop()!;

function contextFor(
  g: Graph,
  node: GraphNode,
  saves: OpDef['saves'],
  grads: Map<string, string>,
  needsGrad: Set<string>,
  saved: Recomputer,
): GradContext {
  return {
    g,
    build: GRAD_BUILDERS,
    node,
    dy: (i) => grads.get(node.outputs[i]!) ?? null,
    input(i) {
      if (!saves.inputs.includes(i))
        throw new Error(`${node.opType} gradient reads input ${i}, not declared saved`);
      return saved.materialize(node.inputs[i]!);
    },
    output(i) {
      if (!saves.outputs.includes(i))
        throw new Error(`${node.opType} gradient reads output ${i}, not declared saved`);
      return saved.materialize(node.outputs[i]!);
    },
    inputInfo: (i) => g.info(node.inputs[i]!),
    needs: (i) => needsGrad.has(node.inputs[i]!),
  };
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
  const saved = new Recomputer(g, opts.dropped ?? new Set());
  const pending = new Map<string, string[]>();
  const grads = new Map<string, string>();
  const contribute = (tensor: string, grad: string) =>
    pending.set(tensor, [...(pending.get(tensor) ?? []), grad]);
  /** Sums the contributions to `tensor` (an Add chain: ORT's Sum runs on the CPU). */
  const settle = (tensor: string): string | undefined => {
    const parts = pending.get(tensor);
    if (!parts?.length) return undefined;
    const total = parts.reduce((acc, p) => add(g, acc, p, 'AccumulateGrad'));
    grads.set(tensor, total);
    return total;
  };

  g.inPhase('backward', () => {
    g.atScope(g.nodes.find((n) => n.outputs.includes(loss))?.scope ?? 'loss', () => {
      contribute(loss, g.scalar(g.info(loss).dtype, opts.seed ?? 1, 'dloss'));
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
          node.outputs.forEach(settle);
          if (!node.outputs.some((o) => grads.has(o)) || !node.inputs.some((i) => needsGrad.has(i))) return;
          const op = composite === undefined ? opDef(node.opType) : null;
          const rule = op ?? compositeDef(node.opType);
          if (!rule.grad) throw new Error(`${node.opType} has no gradient rule`);
          const saves = op ? op.saves : compositeDef(node.opType).saves(node);
          rule.grad(contextFor(g, node, saves, grads, needsGrad, saved)).forEach((d, i) => {
            const input = node.inputs[i]!;
            if (d && needsGrad.has(input)) contribute(input, d);
          });
        }),
      );
    }

    g.outputs.splice(0, g.outputs.length, loss);
    g.atScope('grad', () => {
      const finals = wrt.map(
        (x) => settle(x) ?? expand(g, g.scalar(g.info(x).dtype, 0, 'zero'), g.info(x).shape, 'Zeros'),
      );
      const outs = finals.map((d, i) =>
        finals.indexOf(d) !== i || d === loss || g.info(d).kind !== 'value' ? identity(g, d) : d,
      );
      g.renameAll(outs.map((d, i) => [d, gradName(wrt[i]!)] as const));
      g.outputs.push(...wrt.map(gradName));
    });
  });
}
