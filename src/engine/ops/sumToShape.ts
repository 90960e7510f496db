/** The gradient of broadcasting: sum a gradient back down to an operand's shape. */
import type { Graph } from '../graph/graph';
import { sameShape } from '../graph/shape';
import type { Shape } from '../graph/types';
import { reduceSum } from './reduceSum';
import { reshape } from './reshape';

export function sumToShape(g: Graph, dy: string, target: Shape): string {
  const shape = g.info(dy).shape;
  if (sameShape(shape, target)) return dy;
  const lead = shape.length - target.length;
  const axes: number[] = [];
  shape.forEach((d, i) => {
    if (i < lead || (target[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = reduceSum(g, dy, axes, true, 'ReduceSum');
  return sameShape(g.info(summed).shape, target) ? summed : reshape(g, summed, target);
}
