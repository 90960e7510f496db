/**
 * The floor (README.md, "The floor"): a lower bound of every strategy × retention's planned peak,
 * the larger of two sets of buffers that every step planned here holds at one instant:
 * - `end`, the last node of the step: the parameters, every graph input (tokens and targets or x,
 *   optimizer state, accumulated gradients) and every graph output (loss, gradients or the updated
 *   parameters and state), all written by then and kept to the end;
 * - `boundaries`, the node writing the last block's output h_L: the parameters, the inputs and
 *   every block boundary h_0..h_L ([B, T, C] each; for the attention-only model h_0 is the input
 *   x). Each h_i is read in the backward pass by a gradient that needs the gradient flowing back
 *   from h_L (LayerNorm's or MatMul's saved input), and every retention keeps it until then
 *   (`checkpoint` keeps exactly these).
 * Each term is one buffer, rounded as the allocator rounds it.
 */
import type { FloatDType } from '../graph/types';
import type { Allocator } from '../vocabulary';
import { bufferBytes, linearBytes, type LinearBytes, type Liveness } from './liveness';

/** The model dimensions the floor needs (docs/architecture.md, "Floor"). */
export interface FloorModel {
  seq: number;
  embd: number;
  layers: number;
  attentionOnly: boolean;
  /** The float type of activations (mixed precision: f16); default: the graph's. */
  dtype?: FloatDType;
}

/** A sum of buffers: fixed bytes, plus per-batch buffers grouped by size. */
interface FloorTerms {
  fixed: number;
  perBatch: { bytes: LinearBytes; count: number }[];
}

/** The floor's two instants, each a sum of buffers. */
export interface FloorSets {
  end: FloorTerms;
  boundaries: FloorTerms;
}

type Term = { bytes: LinearBytes; resident: boolean };

function termsOf(terms: readonly Term[], allocator: Allocator): FloorTerms {
  let fixed = 0;
  const perBatch = new Map<string, { bytes: LinearBytes; count: number }>();
  for (const t of terms) {
    if (t.bytes.perBatch === 0) {
      fixed += bufferBytes(t.bytes, 1, allocator, t.resident);
      continue;
    }
    const key = `${t.bytes.perBatch}|${t.bytes.fixed}`;
    const seen = perBatch.get(key);
    if (seen) seen.count++;
    else perBatch.set(key, { bytes: t.bytes, count: 1 });
  }
  return { fixed, perBatch: [...perBatch.values()] };
}

/** The floor's buffers in the graph analysed by `l`; `dtype`: the activations' float type. */
export function floorSets(l: Liveness, allocator: Allocator, m: FloorModel, dtype: FloatDType): FloorSets {
  const g = l.graph;
  const persistent = new Set<number>();
  for (const name of [...g.params, ...g.inputs]) {
    const id = l.bufferOf.get(name);
    if (id !== undefined) persistent.add(id);
  }
  const outputs = new Set<number>();
  for (const name of g.outputs) {
    const id = l.bufferOf.get(name);
    if (id !== undefined && !persistent.has(id)) outputs.add(id);
  }
  const buffer = (id: number): Term => ({ bytes: l.table.bytes[id]!, resident: l.table.resident[id] === 1 });
  const base = [...persistent].map(buffer);
  const boundary: Term = { bytes: linearBytes(['B', m.seq, m.embd], m.dtype ?? dtype), resident: false };
  const boundaries = m.layers + (m.attentionOnly ? 0 : 1);
  return {
    end: termsOf([...base, ...[...outputs].map(buffer)], allocator),
    boundaries: termsOf([...base, ...Array.from({ length: boundaries }, () => boundary)], allocator),
  };
}

function sumAt(terms: FloorTerms, batch: number, allocator: Allocator): number {
  let total = terms.fixed;
  for (const t of terms.perBatch) total += t.count * bufferBytes(t.bytes, batch, allocator);
  return total;
}

/** The floor at `batch`: the larger of its two instants. */
export function floorAt(sets: FloorSets, batch: number, allocator: Allocator): number {
  return Math.max(sumAt(sets.end, batch, allocator), sumAt(sets.boundaries, batch, allocator));
}
