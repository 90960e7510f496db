/**
 * The graph's nodes as objects of few shapes, and renaming the tensors they read and write
 * (Graph.renameAll). Apart from graph.ts to keep it short; only the graph builder uses these.
 */
import type { Attrs, GraphNode, Phase } from './types';

/**
 * A node, made in one place so that every node has one of few hidden classes, each with its
 * fields in the object (no property added later): the passes over all nodes (autodiff, renames,
 * binding checks, the planner) read them, and nodes of many shapes (object spreads make new
 * ones) make each of those reads slow.
 */
export function makeNode(
  name: string,
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Attrs,
  scope: string,
  phase: Phase,
  region: string | undefined,
  composite: string | undefined,
): GraphNode {
  if (composite === undefined)
    return region === undefined
      ? { name, opType, inputs, outputs, attrs, scope, phase }
      : { name, opType, inputs, outputs, attrs, scope, phase, region };
  return region === undefined
    ? { name, opType, inputs, outputs, attrs, scope, phase, composite }
    : { name, opType, inputs, outputs, attrs, scope, phase, region, composite };
}

/** `n` reading `inputs` and writing `outputs`: `{ ...n, inputs, outputs }`, in makeNode's shape. */
const withNames = (n: GraphNode, inputs: readonly string[], outputs: readonly string[]): GraphNode =>
  makeNode(n.name, n.opType, inputs, outputs, n.attrs, n.scope, n.phase, n.region, n.composite);

/** `names` with each one in `renames` replaced; `names` itself when none is. */
function swapNames(names: readonly string[], renames: ReadonlyMap<string, string>): readonly string[] {
  for (let k = 0; k < names.length; k++) {
    if (renames.has(names[k]!)) return names.map((n) => renames.get(n) ?? n);
  }
  return names;
}

/**
 * Replaces the nodes (and composites) that read or write a tensor of `renames` by ones with the
 * new names. `keepNodeName` gets each node name that stops being a tensor name: that of a node
 * whose output, named after it, is renamed (or, conservatively, the old name of a renamed tensor
 * whose producer is not among `nodes`, which only an edit of `nodes` from outside can cause).
 */
export function renameInNodes(
  nodes: GraphNode[],
  composites: Map<string, GraphNode>,
  renames: ReadonlyMap<string, string>,
  keepNodeName: (name: string) => void,
): void {
  // Each renamed tensor has one producer and is read only after it: walk the nodes from the
  // last, and stop once every producer is passed (renames are mostly of late tensors).
  let producers = 0;
  for (let i = nodes.length - 1; i >= 0 && producers < renames.size; i--) {
    const n = nodes[i]!;
    const inputs = swapNames(n.inputs, renames);
    const outputs = swapNames(n.outputs, renames);
    if (outputs !== n.outputs)
      for (const o of n.outputs) {
        if (!renames.has(o)) continue;
        producers++;
        if (o === n.name) keepNodeName(o);
      }
    if (inputs !== n.inputs || outputs !== n.outputs) nodes[i] = withNames(n, inputs, outputs);
  }
  if (producers < renames.size) {
    const written = new Set<string>();
    for (const n of nodes) for (const o of n.outputs) written.add(o);
    for (const [from, to] of renames) if (!written.has(to)) keepNodeName(from);
  }
  for (const [name, c] of composites) {
    const inputs = swapNames(c.inputs, renames);
    const outputs = swapNames(c.outputs, renames);
    if (inputs !== c.inputs || outputs !== c.outputs) composites.set(name, withNames(c, inputs, outputs));
  }
}
