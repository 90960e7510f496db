/**
 * Recompute regions (Graph.inRegion): forward nodes a retention policy or strategy may drop and
 * recompute in the backward pass instead of keeping their outputs.
 */

/** A transformer block: dropped under `checkpoint` (only each block's input is kept). */
export const BLOCK_REGION = 'block';
