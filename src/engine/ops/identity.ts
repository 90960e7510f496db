/** Identity: gives a tensor a second name (used for graph outputs that would otherwise share a tensor). */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Identity: OpDef = {
  opType: 'Identity',
  infer: (inputs) => unaryInfer('Identity', inputs),
  saves: { inputs: [], outputs: [] },
  grad(ctx) {
    return [ctx.dy(0)];
  },
  ort: { alias: true, transposeOptimizer: 'pushable' },
};

export function identity(g: Graph, x: string, label?: string): string {
  return g.add1(Identity, [x], NO_ATTRS, label);
}
