import type { Strategy } from '../report/schema';
import { copyStrategy } from './copy';
import type { AttentionStrategy } from './types';
import { viewStrategy } from './view';

export const STRATEGIES: Record<Strategy, AttentionStrategy> = { copy: copyStrategy, view: viewStrategy };
