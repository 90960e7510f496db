/**
 * The order onnxruntime executes our graph in, computed rather than observed.
 *
 * 1. Node index. The serialiser lists nodes in reverse (src/engine/onnx/serialize.ts), so
 *    onnxruntime's node index of `g.nodes[i]` is `n - 1 - i`.
 * 2. The transpose optimizer. onnxruntime runs it during layout transformation for the WebGPU EP
 *    (which prefers NHWC), even with graph optimisations disabled
 *    (core/optimizer/layout_transformation/layout_transformation.cc -> onnx_transpose_optimization.cc,
 *    OptimizeImpl). It visits nodes in the default order below; a Transpose that reads another
 *    Transpose's output is merged with it (HandleTransposeImpl): the second node is kept, with its
 *    own name and index, reads the first one's input and takes the composed permutation; the first
 *    is removed once nothing reads it (a graph output counts as a reader). Permutations that cancel
 *    remove both and point the readers at the first one's input (RemoveCancelingTransposeNodes).
 *    Pushing a Transpose through other ops (elementwise, Softmax, reductions...: each op module's
 *    `ort.transposeOptimizer`) is not modelled: `notes` names every Transpose that feeds such an
 *    op, the only place this order may still differ from onnxruntime's.
 * 3. The default order (GraphViewer, ExecutionOrder::DEFAULT; Graph::ReverseDFSFrom): start from
 *    the leaves (nodes whose outputs no node reads), pushed in ascending index; pop a node, push
 *    its "leave" entry, then its not yet visited producers sorted by ascending index (so the
 *    highest index is popped first); emit a node when its "leave" entry is popped.
 */
import type { Graph } from '../graph/graph';
import type { GraphNode } from '../graph/types';
import { transposeHandling } from '../ops/index';

/** One node as onnxruntime runs it. */
export interface ScheduledNode {
  /** Position of the node in `g.nodes`. */
  index: number;
  node: GraphNode;
  /** Its inputs after the transpose optimizer (a merged Transpose reads the first one's input). */
  inputs: readonly string[];
  /** Transposes whose permutation this one took over (they still run while something else reads them). */
  composedWith: readonly string[];
}

export interface Schedule {
  /** Execution order. */
  nodes: ScheduledNode[];
  /** Names of the nodes the transpose optimizer removed. */
  removed: string[];
  /** Where the computed order may differ from onnxruntime's (unmodelled optimizer rewrites). */
  notes: string[];
}

/** A node as the order algorithm sees it: what it reads and writes. */
export interface OrderNode {
  inputs: readonly string[];
  outputs: readonly string[];
}

/** Sorts a short list of indices ascending, in place (insertion sort: no comparator, no work array). */
function sortSmall(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let j = i - 1;
    for (; j >= 0 && list[j]! > v; j--) list[j + 1] = list[j]!;
    list[j + 1] = v;
  }
}

/**
 * onnxruntime's default execution order of `nodes`, listed by onnxruntime node index (array
 * position = index; `null` = a removed node). Returns the indices in execution order.
 */
export function reverseDfsOrder(nodes: readonly (OrderNode | null)[]): number[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n?.outputs.forEach((o) => producer.set(o, i)));
  const inputNodes: number[][] = nodes.map(() => []);
  const hasConsumer = nodes.map(() => false);
  nodes.forEach((n, i) => {
    if (!n) return;
    for (const t of n.inputs) {
      const p = producer.get(t);
      if (p === undefined) continue;
      inputNodes[i]!.push(p);
      hasConsumer[p] = true;
    }
  });
  for (const list of inputNodes) sortSmall(list);

  // Stack entries: index * 2 + (1 when it is the node's "leave" entry).
  const stack: number[] = [];
  nodes.forEach((n, i) => {
    if (n && !hasConsumer[i]) stack.push(i * 2);
  });
  const visited = new Uint8Array(nodes.length);
  const order: number[] = [];
  while (stack.length) {
    const entry = stack.pop()!;
    const i = entry >> 1;
    if (entry & 1) {
      order.push(i);
      continue;
    }
    if (visited[i]) continue;
    visited[i] = 1;
    stack.push(i * 2 + 1);
    for (const p of inputNodes[i]!) if (!visited[p]) stack.push(p * 2);
  }
  return order;
}

interface Working {
  index: number;
  node: GraphNode;
  inputs: string[];
  perm: number[] | null;
  composedWith: string[];
}

function permOf(n: GraphNode): number[] | null {
  const a = n.attrs['perm'];
  return transposeHandling(n.opType) === 'transpose' && a?.type === 'ints' ? [...a.value] : null;
}

const invert = (perm: readonly number[]) => perm.map((_, i) => perm.indexOf(i));
/** The permutation of Transpose(perm2) applied after Transpose(perm1) (ComposePerm). */
const compose = (perm1: readonly number[], perm2: readonly number[]) => perm2.map((p) => perm1[p]!);
const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Applies the transpose optimizer's Transpose -> Transpose rewrites, in onnxruntime's visiting
 * order; `work` is indexed by onnxruntime node index and edited in place (removed nodes -> null).
 */
function optimizeTransposes(
  work: (Working | null)[],
  graphOutputs: ReadonlySet<string>,
  graphRank: (tensor: string) => number,
  notes: string[],
): void {
  const producer = new Map<string, number>();
  const readers = new Map<string, Set<number>>();
  work.forEach((w, i) => {
    if (!w) return;
    w.node.outputs.forEach((o) => producer.set(o, i));
    for (const t of w.inputs) {
      if (!readers.has(t)) readers.set(t, new Set());
      readers.get(t)!.add(i);
    }
  });
  const visit = reverseDfsOrder(work.map((w) => (w ? { inputs: w.inputs, outputs: w.node.outputs } : null)));
  const hasConsumers = (t: string) => graphOutputs.has(t) || (readers.get(t)?.size ?? 0) > 0;
  const setInput = (i: number, slot: number, to: string) => {
    const w = work[i]!;
    readers.get(w.inputs[slot]!)?.delete(i);
    w.inputs[slot] = to;
    if (!readers.has(to)) readers.set(to, new Set());
    readers.get(to)!.add(i);
  };
  const remove = (i: number) => {
    const w = work[i]!;
    w.inputs.forEach((t) => readers.get(t)?.delete(i));
    work[i] = null;
  };

  for (const i of visit) {
    const w = work[i];
    if (!w) continue;
    for (let j = 0; j < w.inputs.length; j++) {
      const p = producer.get(w.inputs[j]!);
      const first = p === undefined ? null : work[p];
      if (!first?.perm) continue;
      if (w.perm && w.perm.length === first.perm.length && j === 0) {
        const out = w.node.outputs[0]!;
        const source = first.inputs[0]!;
        if (same(invert(first.perm), w.perm)) {
          if (graphOutputs.has(out)) {
            notes.push(
              `cancelling Transposes ${first.node.name} -> ${w.node.name} end in a graph output: not modelled`,
            );
            break;
          }
          for (const r of [...(readers.get(out) ?? [])]) {
            work[r]!.inputs.forEach((t, slot) => {
              if (t === out) setInput(r, slot, source);
            });
          }
          remove(i);
        } else {
          w.perm = compose(first.perm, w.perm);
          w.composedWith.push(...first.composedWith, first.node.name);
          setInput(i, 0, source);
        }
        if (!hasConsumers(first.node.outputs[0]!)) remove(p!);
        break;
      }
      const handling = transposeHandling(w.node.opType);
      const sameRankReshape =
        handling === 'reshape' && j === 0 && graphRank(w.node.outputs[0]!) === graphRank(first.inputs[0]!);
      if (handling === 'pushable' || sameRankReshape) {
        notes.push(
          `Transpose ${first.node.name} feeds ${w.node.opType} ${w.node.name}: onnxruntime's transpose optimizer ` +
            'may push it through (not modelled)',
        );
      }
    }
  }
}

const scheduled = (w: Working): ScheduledNode => ({
  index: w.index,
  node: w.node,
  inputs: w.inputs,
  composedWith: w.composedWith,
});

/** The order onnxruntime runs `g` in, after its transpose optimizer. */
export function ortExecutionOrder(g: Graph): Schedule {
  const n = g.nodes.length;
  const work: (Working | null)[] = g.nodes.map((_, k) => {
    const index = n - 1 - k;
    const node = g.nodes[index]!;
    return { index, node, inputs: [...node.inputs], perm: permOf(node), composedWith: [] };
  });
  const notes: string[] = [];
  const rank = (t: string) => g.info(t).shape.length;
  const asOrderNodes = () => work.map((w) => (w ? { inputs: w.inputs, outputs: w.node.outputs } : null));
  if (!work.some((w) => w?.perm)) {
    const order = reverseDfsOrder(asOrderNodes());
    return { nodes: order.map((k) => scheduled(work[k]!)), removed: [], notes };
  }
  optimizeTransposes(work, new Set([...g.outputs, ...g.retained]), rank, notes);
  const order = reverseDfsOrder(asOrderNodes());
  const removed = work.flatMap((w, k) => (w ? [] : [g.nodes[n - 1 - k]!.name]));
  return {
    nodes: order.map((k) => scheduled(work[k]!)),
    removed,
    notes,
  };
}
