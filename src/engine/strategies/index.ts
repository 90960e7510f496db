import type { Strategy } from '../report/schema';
import { chunkedStrategy } from './chunked';
import { copyStrategy } from './copy';
import { fusedStrategy } from './fused';
import type { AttentionStrategy } from './types';
import { viewStrategy } from './view';

export const STRATEGIES: Record<Strategy, AttentionStrategy> = {
  copy: copyStrategy,
  view: viewStrategy,
  fused: fusedStrategy,
  chunked: chunkedStrategy,
};
