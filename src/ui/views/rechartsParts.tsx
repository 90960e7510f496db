/**
 * What the charts give recharts in place of its own parts where those cost a redraw time for
 * nothing: a tooltip series that draws nothing, tick labels that are never measured, and grid
 * lines placed at the axes' ticks without measuring them.
 */
import type { BaseTickContentProps, CartesianGridProps } from 'recharts';

/**
 * The shape of a recharts `<Line>` that is there only for recharts' tooltip (the curves themselves
 * are SVG paths of our own): it draws nothing, so recharts neither builds its path nor measures it
 * (getTotalLength, a layout of the path) on every redraw.
 */
export const NoCurve = (): null => null;

/**
 * An axis tick label as plain SVG text (`tick={AxisTick}`), where recharts' own `Text` would be
 * given the axis' width and so measure every label's words in the DOM, to wrap them, on every
 * redraw: labels are short and never wrap. Placed as `Text` places them (its `verticalAnchor`:
 * the cap height below the tick at the top, centred on it at the side).
 */
export function AxisTick(p: BaseTickContentProps) {
  const value: unknown = p.payload.value;
  const text = p.tickFormatter ? p.tickFormatter(value, p.index) : String(value);
  const dy = p.verticalAnchor === 'start' ? '0.71em' : p.verticalAnchor === 'middle' ? '0.355em' : '0';
  return (
    <text x={p.x} y={p.y} dy={dy} textAnchor={p.textAnchor} fill={p.fill} className={p.className}>
      {text}
    </text>
  );
}

type GridGenerators = Pick<
  CartesianGridProps,
  'verticalCoordinatesGenerator' | 'horizontalCoordinatesGenerator'
>;

/**
 * `<CartesianGrid>`'s lines at the given ticks of two linear axes, placed in the plot area. Its
 * own generators ask recharts for the axes' ticks anew, without the axes' `interval`, so they
 * measure every tick label in the DOM to thin them out (a forced layout of the whole page: 25-35 ms
 * at the step timeline's first draw); the ticks here are the ones the axes are given, all shown.
 */
export function gridAt(
  x: { ticks: readonly number[]; domain: readonly [number, number] },
  y: { ticks: readonly number[]; domain: readonly [number, number] },
): GridGenerators {
  /** The ticks' coordinates, and the plot area's two edges as recharts adds them. */
  const lines = (
    ticks: readonly number[],
    [lo, hi]: readonly [number, number],
    start: number,
    size: number,
    flip: boolean,
  ) => {
    const at = ticks.map((v) => {
      const f = hi > lo ? (v - lo) / (hi - lo) : 0;
      return start + size * (flip ? 1 - f : f);
    });
    for (const edge of [start, start + size]) if (!at.includes(edge)) at.push(edge);
    return at;
  };
  return {
    verticalCoordinatesGenerator: ({ offset }) => lines(x.ticks, x.domain, offset.left, offset.width, false),
    horizontalCoordinatesGenerator: ({ offset }) => lines(y.ticks, y.domain, offset.top, offset.height, true),
  };
}
