/** The advisor's answer in plain sentences: what the suspects cost, what fits, what is fastest. */
import { formatBytes } from '../report/bytes';
import { setupLabel } from './rank';
import type { FitSetup, Suspects } from './types';
import type { OptimizerName } from '../vocabulary';

const OPTIMIZER_WORDS: Readonly<Record<OptimizerName, string>> = {
  none: 'no optimizer',
  sgd: 'SGD with momentum',
  adamw: 'AdamW',
};

/** "12.3 ms" / "1.20 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function suspectsSentence(e: number, optimizer: OptimizerName, s: Suspects): string {
  const cost = s.suspects.map((x) => `the ${x.name} ${formatBytes(x.bytes)} (${x.compared})`);
  return (
    `At batch ${e} the port (copy/tape, f32, ${OPTIMIZER_WORDS[optimizer]}) peaks at ` +
    `${formatBytes(s.portLiveBytes)} live and ${formatBytes(s.portReservedBytes)} reserved under the bucket ` +
    `allocator; of that, ${cost.slice(0, -1).join(', ')} and ${cost.at(-1)}.`
  );
}

function setupSentence(s: FitSetup, budgetBytes: number): string {
  return (
    `${setupLabel(s)}: about ${formatMs(s.time.ms)} a step (${s.time.source}), ` +
    `peak ${formatBytes(s.peakBytes)} of ${formatBytes(budgetBytes)} (${formatBytes(s.headroomBytes)} headroom)`
  );
}

/** The closest setups a sentence names; the rest are counted. */
const MAX_CLOSEST = 6;

export interface SentenceInput {
  effectiveBatch: number;
  budgetBytes: number;
  optimizer: OptimizerName;
  fitting: readonly FitSetup[];
  notFitting: readonly FitSetup[];
  closest: readonly FitSetup[];
  suspects: Suspects;
}

export function fitSentences(a: SentenceInput): string[] {
  const e = a.effectiveBatch;
  const total = a.fitting.length + a.notFitting.length;
  const out = [suspectsSentence(e, a.optimizer, a.suspects)];
  if (a.fitting.length === 0) {
    const smallest = a.notFitting[0];
    out.push(
      `No setup trains at effective batch ${e} within ${formatBytes(a.budgetBytes)}` +
        (smallest
          ? `; the smallest peak is ${formatBytes(smallest.peakBytes)} (${setupLabel(smallest)})` +
            (smallest.overLimit && !smallest.overBudget
              ? `, within the budget, but its tensor ${smallest.overLimit.tensor} ` +
                `(${formatBytes(smallest.overLimit.bytes)}) exceeds the buffer limit ${smallest.overLimit.limit} ` +
                `(${formatBytes(smallest.overLimit.limitBytes)}).`
              : '.')
          : '.'),
    );
    return out;
  }
  out.push(
    `${a.fitting.length} of ${total} setups train at effective batch ${e} within ${formatBytes(a.budgetBytes)} ` +
      `with ${OPTIMIZER_WORDS[a.optimizer]}.`,
  );
  out.push(`Fastest: ${setupSentence(a.fitting[0]!, a.budgetBytes)}.`);
  const closest = a.closest[0]!;
  if (closest.changes.length === 0) {
    out.push(`The port itself fits: ${setupSentence(closest, a.budgetBytes)}.`);
  } else {
    const n = closest.changes.length;
    const listed = a.closest
      .slice(0, MAX_CLOSEST)
      .map(
        (s) =>
          `${s.changes.join(' and ')} (${setupLabel(s)}: peak ${formatBytes(s.peakBytes)}, ` +
          `about ${formatMs(s.time.ms)} a step)`,
      );
    const more = a.closest.length > MAX_CLOSEST ? `; and ${a.closest.length - MAX_CLOSEST} more` : '';
    out.push(
      `What makes batch ${e} fit with ${n === 1 ? 'one change' : `${n} changes`} to the port: ` +
        `${listed.join('; ')}${more}.`,
    );
  }
  return out;
}
