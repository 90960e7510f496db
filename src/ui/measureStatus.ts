/** The one-line status under the Measure button. */
import type { Point } from '../engine/report/schema';
import { outcomeOf, type PointOutcome } from '../engine/report/points';

export interface StatusInput {
  status: string;
  progress: { index: number; total: number; label: string } | null;
  cancelRequested: boolean;
  results: readonly Point[];
  invalid: boolean;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function statusText(s: StatusInput): string {
  if (s.status === 'measuring' && s.progress) {
    const { label, index, total } = s.progress;
    const stopping = s.cancelRequested ? ' Stopping after this point (Stop now abandons it).' : '';
    return `Measuring ${label} (${index} of ${total})…${stopping}`;
  }
  if (s.invalid) return 'Fix the setting marked in red to measure.';
  const count = (o: PointOutcome) => s.results.filter((p) => outcomeOf(p) === o).length;
  const [measured, skipped, failed] = [count('measured'), count('skipped'), count('failed')];
  const parts = [
    `${plural(measured, 'point')}`,
    ...(skipped ? [`${skipped} skipped`] : []),
    ...(failed ? [`${failed} failed`] : []),
  ].join('; ');
  if (s.status === 'done' || s.status === 'error') return `Measured ${parts}.`;
  if (measured + skipped + failed > 0) return `Stopped after ${parts}.`;
  return '';
}
