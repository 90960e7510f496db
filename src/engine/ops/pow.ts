/**
 * Pow with broadcasting (base ^ exponent). Only the optimizer's update uses it (AdamW's bias
 * correction, beta ^ step), after the gradients: it needs no gradient rule.
 */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { broadcastInfer } from './util';

export const Pow: OpDef = {
  opType: 'Pow',
  infer: (inputs) => broadcastInfer('Pow', inputs),
  saves: { inputs: [], outputs: [] },
  ort: { transposeOptimizer: 'pushable' },
};

export function pow(g: Graph, base: string, exponent: string, label?: string): string {
  return g.add1(Pow, [base, exponent], NO_ATTRS, label);
}
