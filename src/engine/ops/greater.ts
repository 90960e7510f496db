/** Greater with broadcasting: a bool mask (e.g. ReLU's gradient). Not differentiable. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Greater: OpDef = {
  opType: 'Greater',
  infer: (inputs) => broadcastInfer('Greater', inputs).map((o) => ({ ...o, dtype: 'bool' as const })),
  saves: { inputs: [], outputs: [] },
  ort: { transposeOptimizer: 'pushable' },
};

export function greater(g: Graph, a: string, b: string, label?: string): string {
  return g.add1(Greater, [a, b], NO_ATTRS, label);
}
