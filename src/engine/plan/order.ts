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

/** Sorts `list[from .. to)` ascending, in place (insertion sort: short runs, no work array). */
function sortRun(list: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = list[i]!;
    let j = i - 1;
    for (; j >= from && list[j]! > v; j--) list[j + 1] = list[j]!;
    list[j + 1] = v;
  }
}

/**
 * onnxruntime's default execution order of `nodes`, listed by onnxruntime node index (array
 * position = index; `null` = a removed node). Returns the indices in execution order.
 */
export function reverseDfsOrder(nodes: readonly (OrderNode | null)[]): number[] {
  const n = nodes.length;
  const producer = new Map<string, number>();
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (!node) continue;
    for (const o of node.outputs) producer.set(o, i);
    edges += node.inputs.length;
  }
  // Each node's producers, ascending (duplicates kept), as runs of one flat array: node i's run
  // is inputNodes[start[i] .. start[i + 1]).
  const start = new Int32Array(n + 1);
  const inputNodes = new Int32Array(edges);
  const hasConsumer = new Uint8Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (node) {
      for (const t of node.inputs) {
        const p = producer.get(t);
        if (p === undefined) continue;
        inputNodes[e++] = p;
        hasConsumer[p] = 1;
      }
      sortRun(inputNodes, start[i]!, e);
    }
    start[i + 1] = e;
  }

  // Stack entries: index * 2 + (1 when it is the node's "leave" entry).
  const stack: number[] = [];
  for (let i = 0; i < n; i++) if (nodes[i] && !hasConsumer[i]) stack.push(i * 2);
  const visited = new Uint8Array(n);
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
    for (let j = start[i]!; j < start[i + 1]!; j++) {
      const p = inputNodes[j]!;
      if (!visited[p]) stack.push(p * 2);
    }
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
  // Readers are asked for of Transpose outputs only: only theirs are kept.
  const readers = new Map<string, Set<number>>();
  work.forEach((w, i) => {
    if (!w) return;
    for (const o of w.node.outputs) producer.set(o, i);
    if (w.perm) for (const o of w.node.outputs) readers.set(o, new Set());
  });
  work.forEach((w, i) => {
    if (w) for (const t of w.inputs) readers.get(t)?.add(i);
  });
  const visit = reverseDfsOrder(work.map((w) => (w ? { inputs: w.inputs, outputs: w.node.outputs } : null)));
  const hasConsumers = (t: string) => graphOutputs.has(t) || (readers.get(t)?.size ?? 0) > 0;
  const setInput = (i: number, slot: number, to: string) => {
    const w = work[i]!;
    readers.get(w.inputs[slot]!)?.delete(i);
    w.inputs[slot] = to;
    readers.get(to)?.add(i);
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

/** What a node merged no Transpose into shares (never written: a merge gives its node its own list). */
const NO_MERGES: readonly string[] = Object.freeze([]);

/** The order onnxruntime runs `g` in, after its transpose optimizer. */
export function ortExecutionOrder(g: Graph): Schedule {
  const n = g.nodes.length;
  const notes: string[] = [];
  // onnxruntime's node indices are ours reversed (the graph is serialised in reverse).
  const reversed = g.nodes.slice().reverse();
  if (!reversed.some((node) => permOf(node))) {
    // Nothing to merge: each node runs with its own inputs.
    const order = reverseDfsOrder(reversed);
    const nodes = order.map((k) => {
      const node = reversed[k]!;
      return { index: n - 1 - k, node, inputs: node.inputs, composedWith: NO_MERGES };
    });
    return { nodes, removed: [], notes };
  }
  const work: (Working | null)[] = reversed.map((node, k) => ({
    index: n - 1 - k,
    node,
    inputs: [...node.inputs],
    perm: permOf(node),
    composedWith: [],
  }));
  const rank = (t: string) => g.info(t).shape.length;
  optimizeTransposes(work, new Set([...g.outputs, ...g.retained]), rank, notes);
  const order = reverseDfsOrder(work.map((w) => (w ? { inputs: w.inputs, outputs: w.node.outputs } : null)));
  const removed = work.flatMap((w, k) => (w ? [] : [reversed[k]!.name]));
  return {
    nodes: order.map((k) => scheduled(work[k]!)),
    removed,
    notes,
  };
}
