/** Equal with broadcasting: a bool mask. Not differentiable (its output is bool). */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Equal: OpDef = {
  opType: 'Equal',
  infer: (inputs) => broadcastInfer('Equal', inputs).map((o) => ({ ...o, dtype: 'bool' as const })),
  saves: { inputs: [], outputs: [] },
  ort: { transposeOptimizer: 'pushable' },
};

export function equal(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Equal, [a, b], NO_ATTRS, label);
}
