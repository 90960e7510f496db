import { chunkedStrategy } from './chunked';
import { copyStrategy } from './copy';
import { fusedStrategy } from './fused';
import type { AttentionStrategy } from './types';
import { viewStrategy } from './view';
import type { StrategyName } from '../vocabulary';

export const STRATEGIES: Record<StrategyName, AttentionStrategy> = {
  copy: copyStrategy,
  view: viewStrategy,
  fused: fusedStrategy,
  chunked: chunkedStrategy,
};
