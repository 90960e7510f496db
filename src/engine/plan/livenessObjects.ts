/**
 * The liveness's buffers and steps as objects (PlannedBuffer, PlannedStep), made from its flat
 * arrays (liveness.ts) only when a caller asks for them: the per-op records of one batch, the step
 * view, the reserved bytes. The passes every plan runs read the arrays.
 */
import type { DType, Shape } from '../graph/types';
import { CATEGORIES } from '../vocabulary';
import type { Schedule } from './order';
import type { LivenessTable, PlannedBuffer, PlannedStep } from './livenessTypes';

/** What a PlannedBuffer holds beyond the table, per buffer id. */
export interface BufferDetails {
  shape: readonly Shape[];
  dtype: readonly DType[];
  scope: readonly string[];
  producer: readonly string[];
  scratch: (id: number) => boolean;
  aliases: ReadonlyMap<number, string[]>;
}

export function plannedBuffers(t: LivenessTable, d: BufferDetails): PlannedBuffer[] {
  return t.tensor.map((tensor, id): PlannedBuffer => ({
    id,
    tensor,
    scratch: d.scratch(id),
    aliases: d.aliases.get(id) ?? [],
    shape: d.shape[id]!,
    dtype: d.dtype[id]!,
    bytes: t.bytes[id]!,
    resident: t.resident[id] === 1,
    category: CATEGORIES[t.category[id]!]!,
    scope: d.scope[id]!,
    attention: t.attention[id] === 1,
    producer: d.producer[id]!,
    first: t.first[id]!,
    last: t.last[id]!,
  }));
}

export function plannedSteps(t: LivenessTable, schedule: Schedule): PlannedStep[] {
  const ids = (start: Int32Array, list: Int32Array, k: number) =>
    Array.from(list.subarray(start[k]!, start[k + 1]!));
  const input: PlannedStep = {
    node: null,
    name: 'input',
    opType: 'Input',
    phase: 'forward',
    scope: 'input',
    allocs: ids(t.allocStart, t.allocIds, 0),
    frees: ids(t.freeStart, t.freeIds, 0),
  };
  const nodes = schedule.nodes.map((s, i): PlannedStep => ({
    node: s,
    name: s.node.name,
    opType: s.node.opType,
    phase: s.node.phase,
    scope: s.node.scope,
    allocs: ids(t.allocStart, t.allocIds, i + 1),
    frees: ids(t.freeStart, t.freeIds, i + 1),
  }));
  return [input, ...nodes];
}

/** Step names: "input", then the scheduled nodes'. */
export function stepNamer(schedule: Schedule): (step: number) => string {
  return (step) => (step === 0 ? 'input' : schedule.nodes[step - 1]!.node.name);
}

/** Buffers grouped by the step `stepOf` gives each (-1: none), in ascending id order (CSR). */
export function perStep<K extends 'alloc' | 'free'>(
  steps: number,
  n: number,
  stepOf: (id: number) => number,
  kind: K,
): Record<`${K}Start` | `${K}Ids`, Int32Array> {
  const start = new Int32Array(steps + 1);
  for (let id = 0; id < n; id++) {
    const k = stepOf(id);
    if (k >= 0) start[k + 1]!++;
  }
  for (let k = 0; k < steps; k++) start[k + 1]! += start[k]!;
  const ids = new Int32Array(start[steps]!);
  const next = start.slice(0, steps);
  for (let id = 0; id < n; id++) {
    const k = stepOf(id);
    if (k >= 0) ids[next[k]!++] = id;
  }
  return { [`${kind}Start`]: start, [`${kind}Ids`]: ids } as Record<`${K}Start` | `${K}Ids`, Int32Array>;
}
