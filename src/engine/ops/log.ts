/** Natural log. Saves its input x; gradient dy / x. */
import type { Graph } from '../graph/graph';
import { NO_ATTRS } from '../graph/types';
import { div } from './div';
import type { OpDef } from './types';
import { unaryInfer } from './util';

export const Log: OpDef = {
  opType: 'Log',
  infer: (inputs) => unaryInfer('Log', inputs),
  saves: { inputs: [0], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    return [dy ? div(ctx.g, dy, ctx.input(0)) : null];
  },
  ort: { transposeOptimizer: 'pushable' },
};

export function log(g: Graph, x: string, label?: string): string {
  return g.add1(Log, [x], NO_ATTRS, label);
}
