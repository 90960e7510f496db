/**
 * Sqrt, elementwise. Only the optimizer's update uses it (AdamW's denominator), after the
 * gradients: it needs no gradient rule.
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Sqrt: OpDef = {
  opType: 'Sqrt',
  infer: (inputs) => unaryInfer('Sqrt', inputs),
  saves: { inputs: [], outputs: [] },
  ort: { transposeOptimizer: 'pushable' },
};

export function sqrt(g: Graph, x: string, label?: string): string {
  return g.add1(Sqrt, [x], NO_ATTRS, label);
}
