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
 * The producer of every input of every node, by slot, as runs of one flat array: node i's inputs
 * are producer[start[i] .. start[i + 1]), -1 for an input no node writes (a graph input, a
 * parameter, a constant). One lookup per input, here only: the passes after this read indices.
 */
interface Edges {
  start: Int32Array;
  producer: Int32Array;
}

function edgesOf(nodes: readonly (OrderNode | null)[]): Edges {
  const n = nodes.length;
  const producerOf = new Map<string, number>();
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (node) for (const o of node.outputs) producerOf.set(o, i);
    start[i + 1] = start[i]! + (node ? node.inputs.length : 0);
  }
  const producer = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (!node) continue;
    for (let j = 0; j < node.inputs.length; j++)
      producer[start[i]! + j] = producerOf.get(node.inputs[j]!) ?? -1;
  }
  return { start, producer };
}

/**
 * onnxruntime's default execution order of `nodes`, listed by onnxruntime node index (array
 * position = index; `null` = a removed node). Returns the indices in execution order.
 */
export function reverseDfsOrder(nodes: readonly (OrderNode | null)[]): number[] {
  return orderOfEdges(
    edgesOf(nodes),
    nodes.map((node) => node !== null),
  );
}

/** reverseDfsOrder from the edges of the nodes `present` (edges to absent nodes do not count). */
function orderOfEdges({ start, producer }: Edges, present: readonly boolean[]): number[] {
  const n = present.length;
  // Each node's producers, ascending (duplicates kept), as runs of one flat array: node i's run
  // is inputNodes[runStart[i] .. runStart[i + 1]).
  const runStart = new Int32Array(n + 1);
  const inputNodes = new Int32Array(producer.length);
  const hasConsumer = new Uint8Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    if (present[i]) {
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const p = producer[k]!;
        if (p < 0 || !present[p]) continue;
        inputNodes[e++] = p;
        hasConsumer[p] = 1;
      }
      sortRun(inputNodes, runStart[i]!, e);
    }
    runStart[i + 1] = e;
  }

  // Stack entries: index * 2 + (1 when it is the node's "leave" entry).
  const stack: number[] = [];
  for (let i = 0; i < n; i++) if (present[i] && !hasConsumer[i]) stack.push(i * 2);
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
    for (let j = runStart[i]!; j < runStart[i + 1]!; j++) {
      const p = inputNodes[j]!;
      if (!visited[p]) stack.push(p * 2);
    }
  }
  return order;
}

interface Working {
  index: number;
  node: GraphNode;
  /** The node's own inputs until the optimizer rewrites one (then a copy: see setInput). */
  inputs: readonly string[];
  perm: number[] | null;
  /** NO_MERGES until a merge (then its own list). */
  composedWith: readonly string[];
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
 * order; `work` is indexed by onnxruntime node index and edited in place (removed nodes -> null),
 * and `edges` (work's producers) with it.
 */
function optimizeTransposes(
  work: (Working | null)[],
  edges: Edges,
  graphOutputs: ReadonlySet<string>,
  graphRank: (tensor: string) => number,
  notes: string[],
): void {
  const { start, producer } = edges;
  // Readers are kept for Transposes only (their single output), by node index.
  const readers = new Map<number, Set<number>>();
  work.forEach((w, i) => {
    if (w?.perm) readers.set(i, new Set());
  });
  work.forEach((w, i) => {
    if (!w) return;
    for (let k = start[i]!; k < start[i + 1]!; k++) if (producer[k]! >= 0) readers.get(producer[k]!)?.add(i);
  });
  const visit = orderOfEdges(
    edges,
    work.map((w) => w !== null),
  );
  const hasConsumers = (p: number) =>
    graphOutputs.has(work[p]!.node.outputs[0]!) || (readers.get(p)?.size ?? 0) > 0;
  /** Input `slot` of node `i` becomes `to`, written by node `toProducer` (-1: none). */
  const setInput = (i: number, slot: number, to: string, toProducer: number) => {
    const k = start[i]! + slot;
    if (producer[k]! >= 0) readers.get(producer[k]!)?.delete(i);
    const w = work[i]!;
    const inputs = w.inputs === w.node.inputs ? [...w.inputs] : (w.inputs as string[]);
    inputs[slot] = to;
    w.inputs = inputs;
    producer[k] = toProducer;
    if (toProducer >= 0) readers.get(toProducer)?.add(i);
  };
  const remove = (i: number) => {
    for (let k = start[i]!; k < start[i + 1]!; k++)
      if (producer[k]! >= 0) readers.get(producer[k]!)?.delete(i);
    work[i] = null;
  };

  for (const i of visit) {
    const w = work[i];
    if (!w) continue;
    for (let j = 0; j < w.inputs.length; j++) {
      const p = producer[start[i]! + j]!;
      const first = p < 0 ? null : work[p];
      if (!first?.perm) continue;
      if (w.perm && w.perm.length === first.perm.length && j === 0) {
        const out = w.node.outputs[0]!;
        const source = first.inputs[0]!;
        const sourceProducer = producer[start[p]!]!;
        if (same(invert(first.perm), w.perm)) {
          if (graphOutputs.has(out)) {
            notes.push(
              `cancelling Transposes ${first.node.name} -> ${w.node.name} end in a graph output: not modelled`,
            );
            break;
          }
          for (const r of [...(readers.get(i) ?? [])]) {
            work[r]!.inputs.forEach((t, slot) => {
              if (t === out) setInput(r, slot, source, sourceProducer);
            });
          }
          remove(i);
        } else {
          w.perm = compose(first.perm, w.perm);
          w.composedWith = [...w.composedWith, ...first.composedWith, first.node.name];
          setInput(i, 0, source, sourceProducer);
        }
        if (!hasConsumers(p)) remove(p);
        break;
      }
      noteUnmodelledInput(w.node, j, first.node, first.inputs[0]!, graphRank, notes);
    }
  }
}

/**
 * Notes the rewrite of the transpose optimizer the order does not model: `transpose` (the output of
 * a Transpose node whose own input is `source`) read by `node` as input `slot`, where the optimizer
 * may push it through `node`.
 */
function noteUnmodelledInput(
  node: GraphNode,
  slot: number,
  transpose: GraphNode,
  source: string,
  graphRank: (tensor: string) => number,
  notes: string[],
): void {
  const handling = transposeHandling(node.opType);
  const sameRankReshape =
    handling === 'reshape' && slot === 0 && graphRank(node.outputs[0]!) === graphRank(source);
  if (handling === 'pushable' || sameRankReshape) {
    notes.push(
      `Transpose ${transpose.name} feeds ${node.opType} ${node.name}: onnxruntime's transpose optimizer ` +
        'may push it through (not modelled)',
    );
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

/**
 * Whether the transpose optimizer has a Transpose -> Transpose pair to merge: a Transpose whose
 * first input is another Transpose's output of the same rank. Without one, it changes nothing,
 * and the default order is the order it visits the nodes in.
 */
function hasMerges(perms: readonly (number[] | null)[], { start, producer }: Edges): boolean {
  return perms.some((perm, k) => {
    const p = perm && start[k + 1]! > start[k]! ? producer[start[k]!]! : -1;
    return p >= 0 && perms[p] !== null && perms[p]!.length === perm!.length;
  });
}

/** The order onnxruntime runs `g` in, after its transpose optimizer. */
export function ortExecutionOrder(g: Graph): Schedule {
  const n = g.nodes.length;
  const notes: string[] = [];
  // onnxruntime's node indices are ours reversed (the graph is serialised in reverse).
  const reversed = g.nodes.slice().reverse();
  const perms = reversed.map(permOf);
  const rank = (t: string) => g.info(t).shape.length;
  const edges = edgesOf(reversed);
  const all = reversed.map(() => true);
  if (!hasMerges(perms, edges)) {
    // Nothing to merge: each node runs with its own inputs, in the order the optimizer visits
    // them (which only notes the Transposes it might push through other ops).
    const order = orderOfEdges(edges, all);
    const { start, producer } = edges;
    const nodes = order.map((k) => {
      const node = reversed[k]!;
      for (let j = 0; j < node.inputs.length; j++) {
        const p = producer[start[k]! + j]!;
        if (p >= 0 && perms[p])
          noteUnmodelledInput(node, j, reversed[p]!, reversed[p]!.inputs[0]!, rank, notes);
      }
      return { index: n - 1 - k, node, inputs: node.inputs, composedWith: NO_MERGES };
    });
    return { nodes, removed: [], notes };
  }
  const work: (Working | null)[] = reversed.map((node, k) => ({
    index: n - 1 - k,
    node,
    inputs: node.inputs,
    perm: perms[k] ?? null,
    composedWith: NO_MERGES,
  }));
  optimizeTransposes(work, edges, new Set([...g.outputs, ...g.retained]), rank, notes);
  const order = orderOfEdges(
    edges,
    work.map((w) => w !== null),
  );
  const removed = work.flatMap((w, k) => (w ? [] : [reversed[k]!.name]));
  return {
    nodes: order.map((k) => scheduled(work[k]!)),
    removed,
    notes,
  };
}
