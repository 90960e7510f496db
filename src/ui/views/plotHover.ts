/**
 * The planned chart's hover: the drawn batch nearest the pointer (the tooltip's batch and its
 * dots), moved with the arrow keys when the chart has the focus, hidden on Escape or when the
 * pointer leaves; and, for the step timeline too, the chart's width, followed as its box resizes,
 * and where the tooltip floats.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import { nearestBatch, type PlotScale } from './plotScale';

export interface PlotHover {
  /** The tooltip's batch, or null when none is shown. */
  batch: number | null;
  onMouseMove(e: MouseEvent<HTMLElement>): void;
  onMouseLeave(): void;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  onBlur(): void;
}

/** `batches`: the drawn batches, ascending; `current`: where the arrow keys start (the slider's batch). */
export function usePlotHover(
  scale: PlotScale | null,
  batches: readonly number[],
  current: number,
  svg: RefObject<SVGSVGElement | null>,
): PlotHover {
  const [batch, setBatch] = useState<number | null>(null);
  // A batch no longer drawn (the curves changed) is not shown.
  const shown = batch !== null && batches.includes(batch) ? batch : null;
  useEffect(() => {
    if (shown === null) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setBatch(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);
  const onMouseMove = useCallback(
    (e: MouseEvent<HTMLElement>) => {
      const box = svg.current?.getBoundingClientRect();
      if (!scale || !box) return;
      const px = e.clientX - box.left;
      const py = e.clientY - box.top;
      const { plot } = scale;
      const inside = px >= plot.x && px <= plot.x + plot.width && py >= plot.y && py <= plot.y + plot.height;
      setBatch(inside ? nearestBatch(scale, batches, px) : null);
    },
    [scale, batches, svg],
  );
  const onMouseLeave = useCallback(() => setBatch(null), []);
  const onBlur = onMouseLeave;
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      const from = shown ?? current;
      const i =
        e.key === 'ArrowRight' ? batches.findIndex((b) => b > from) : batches.findLastIndex((b) => b < from);
      const next = batches[i] ?? (shown === null ? batches[0] : shown);
      setBatch(next ?? null);
    },
    [batches, shown, current],
  );
  return { batch: shown, onMouseMove, onMouseLeave, onKeyDown, onBlur };
}

/** The element's content width, followed with a ResizeObserver; 0 until laid out. */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** The tooltip's distance from the hovered point, px. */
const TOOLTIP_GAP = 12;

/**
 * Where a chart's tooltip floats (`position: absolute` in the chart's frame): beside the hovered
 * point at pixel `x`, on the side with more room, its top at `top`.
 */
export function tooltipPlace(
  x: number,
  width: number,
  top: number,
): { left?: number; right?: number; top: number } {
  return x > width / 2 ? { right: width - x + TOOLTIP_GAP, top } : { left: x + TOOLTIP_GAP, top };
}
