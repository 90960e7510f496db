/**
 * The seed story's suspects, priced at the effective batch for the model asked about. Walking from
 * the port to PyTorch eager to flash attention, one change at a time, with exact buffer sizes:
 * - the copying permutes: copy/tape → view/tape (views instead of materialised permutes);
 * - the tape: view/tape → view/minimal (keep only what each gradient reads);
 * - the score tensors: view/minimal → fused/minimal (no B·H·T² tensor kept);
 * - the pool: the port's reserved bytes under the bucket allocator − its live bytes.
 * The four add up to the port's reserved bytes minus fused/minimal's live peak: all of what a system
 * monitor shows beyond a flash-attention PyTorch step of the same model, dtype and optimizer.
 */
import type { Combo } from '../explore/types';
import { comboKey } from '../explore/types';
import type { Setup, Suspect, Suspects } from './types';

/** The chain from the port to flash attention, one change a link. */
const CHAIN: readonly { name: Suspect['name']; from: Combo; to: Combo }[] = [
  {
    name: 'copying permutes',
    from: { strategy: 'copy', retention: 'tape' },
    to: { strategy: 'view', retention: 'tape' },
  },
  {
    name: 'tape',
    from: { strategy: 'view', retention: 'tape' },
    to: { strategy: 'view', retention: 'minimal' },
  },
  {
    name: 'score tensors',
    from: { strategy: 'view', retention: 'minimal' },
    to: { strategy: 'fused', retention: 'minimal' },
  },
];

/** What pricing the suspects needs of the planner, at the port's dtype and batch. */
export interface SuspectPlans {
  /** Peak live bytes of `combo`, exact buffer sizes (the lazy allocator). */
  livePeak(combo: Combo): number;
  /** Peak reserved bytes of the port's combination under the bucket allocator. */
  portReserved(): number;
}

export function priceSuspects(port: Setup, plans: SuspectPlans): Suspects {
  const suspects: Suspect[] = CHAIN.map(({ name, from, to }) => ({
    name,
    compared: `${comboKey(from)} → ${comboKey(to)}`,
    bytes: plans.livePeak(from) - plans.livePeak(to),
  }));
  const portLiveBytes = plans.livePeak(port);
  const portReservedBytes = plans.portReserved();
  suspects.push({
    name: 'pool',
    compared: 'reserved under the bucket allocator − live',
    bytes: portReservedBytes - portLiveBytes,
  });
  return { port, portLiveBytes, portReservedBytes, suspects };
}
