/**
 * What the charts give recharts in place of its own parts where those cost a redraw time for
 * nothing: a tooltip series that draws nothing, and tick labels that are never measured.
 */
import type { BaseTickContentProps } from 'recharts';

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
