import type { StrategyName as Strategy } from '../engine/vocabulary';

/** One colour per strategy, shared by the chart and the tables. */
export const STRATEGY_COLORS: Record<Strategy, string> = {
  copy: '#d9480f',
  view: '#1971c2',
  fused: '#2f9e44',
  chunked: '#7048e8',
};
