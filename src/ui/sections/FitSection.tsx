/**
 * The fit advisor beside the planned chart: for the page's model, budget, optimizer and allocator
 * and an effective batch (the page's batch × micro-batches, or its own box), the answer in
 * sentences (what each suspect costs, what makes the batch fit), then every setup that trains at
 * that batch within the budget, fastest first, each with a button that applies it to the page.
 * Planned in the plan pool's fit worker (state/fitAdvisor.ts); nothing here computes.
 */
import { memo, useState } from 'react';
import type { FitAnswer, FitSetup, Setup } from '../../engine/fit/types';
import { MAX_BATCH } from '../../engine/vocabulary';
import { FIT_BATCH_LABEL, fitBatchError, fitBatchOf } from '../../state/fitAdvisor';
import { budgetLabel } from '../../state/pageConfig';
import { formatByteCount, formatBytes } from '../format';
import { useAppState } from '../StoreContext';
import { useTakingTurns } from '../takeTurns';

/** The setups listed before "show all". */
export const FIT_ROWS_SHOWN = 10;

const batchText = (s: Setup) =>
  s.microBatches === 1 ? `${s.microBatch}` : `${s.microBatches} × ${s.microBatch}`;
const msText = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);

function FitRow({ s, rank, apply }: { s: FitSetup; rank: number; apply(s: Setup): void }) {
  const combo = `${s.strategy}/${s.retention}`;
  const label = `${combo}, ${s.dtype}, ${batchText(s)}`;
  return (
    <tr
      data-combo={combo}
      data-dtype={s.dtype}
      data-micro-batch={s.microBatch}
      data-micro-batches={s.microBatches}
      data-peak-bytes={s.peakBytes}
      data-headroom-bytes={s.headroomBytes}
      data-ms={s.time.ms}
      data-source={s.time.source}
    >
      <td className="num">{rank}</td>
      <th scope="row">{combo}</th>
      <td>{s.dtype}</td>
      <td className="num">{batchText(s)}</td>
      <td className="num" title={formatByteCount(s.peakBytes)}>
        {formatBytes(s.peakBytes)}
      </td>
      <td className="num" title={formatByteCount(s.headroomBytes)}>
        {formatBytes(s.headroomBytes)}
      </td>
      <td className="num">{msText(s.time.ms)}</td>
      <td>{s.time.source}</td>
      <td>
        <button type="button" aria-label={`Apply ${label}`} onClick={() => apply(s)}>
          Apply
        </button>
      </td>
    </tr>
  );
}

const FitAnswerView = memo(function FitAnswerView({
  answer,
  apply,
}: {
  answer: FitAnswer;
  apply(s: Setup): void;
}) {
  const [all, setAll] = useState(false);
  const rows = all ? answer.fitting : answer.fitting.slice(0, FIT_ROWS_SHOWN);
  const total = answer.fitting.length + answer.notFitting.length;
  return (
    <>
      <div data-testid="fit-sentences" className="fit-sentences" aria-live="polite">
        {answer.sentences.map((text, i) => (
          <p key={i}>{text}</p>
        ))}
      </div>
      <ul className="fit-suspects" data-testid="fit-suspects" aria-label="What each suspect costs">
        {answer.suspects.suspects.map((x) => (
          <li key={x.name} data-suspect={x.name} data-bytes={x.bytes}>
            <strong>{x.name}</strong>: {formatBytes(x.bytes)} <span className="muted">({x.compared})</span>
          </li>
        ))}
      </ul>
      {answer.fitting.length > 0 && (
        <table className="view-table fit-table" data-testid="fit-table">
          <caption>
            {answer.fitting.length} of {total} setups fit, fastest first
            {answer.fitting.length > rows.length ? ` (the first ${rows.length} shown)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">strategy/retention</th>
              <th scope="col">dtype</th>
              <th scope="col">micro-batch (k × b)</th>
              <th scope="col">peak</th>
              <th scope="col">headroom</th>
              <th scope="col">step time</th>
              <th scope="col">time from</th>
              <th scope="col">
                <span className="visually-hidden">apply</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s, i) => (
              <FitRow
                key={`${s.strategy}/${s.retention}|${s.dtype}|${s.microBatch}`}
                s={s}
                rank={i + 1}
                apply={apply}
              />
            ))}
          </tbody>
        </table>
      )}
      {answer.fitting.length > FIT_ROWS_SHOWN && (
        <button type="button" data-testid="fit-show-all" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? `Show the first ${FIT_ROWS_SHOWN}` : `Show all ${answer.fitting.length}`}
        </button>
      )}
    </>
  );
});

export function FitSection() {
  const fit = useAppState((s) => s.fit);
  const config = useAppState((s) => s.config);
  const invalid = useAppState((s) => Object.keys(s.errors).length > 0);
  const setFitBatch = useAppState((s) => s.setFitBatch);
  const applySetup = useAppState((s) => s.applySetup);
  const batch = fitBatchOf(fit, config);
  const boxError = fitBatchError(batch);
  // A new answer waits its turn after the step and the comparison (takeTurns.ts).
  const answer = useTakingTurns(fit.answer);
  const pageBatch = config.batch * config.microBatches;
  return (
    <section
      className="panel fit-panel"
      aria-labelledby="fit-title"
      data-testid="fit-section"
      data-status={fit.status}
      data-effective-batch={answer?.effectiveBatch}
      data-budget-bytes={answer?.budgetBytes}
      data-optimizer={answer?.optimizer}
    >
      <div className="panel-head">
        <h2 id="fit-title">Which setups fit: the fit advisor</h2>
      </div>
      <p className="muted">
        Every strategy × retention × dtype × micro-batch that trains this model at the effective batch within{' '}
        {budgetLabel(config.budget.bytes)}, optimizer {config.optimizer}, allocator {config.allocator}:
        planned, ranked by the expected step time (estimated from FLOPs and bytes moved).
      </p>
      <div className={`hr-field fit-batch${boxError ? ' hr-invalid' : ''}`}>
        <label htmlFor="input-fitBatch">{FIT_BATCH_LABEL}</label>{' '}
        <input
          id="input-fitBatch"
          data-testid="input-fitBatch"
          className="hr-number"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_BATCH}
          step={1}
          value={Number.isNaN(batch) ? '' : batch}
          aria-invalid={boxError ? true : undefined}
          aria-describedby="error-fitBatch"
          onChange={(e) => setFitBatch(e.currentTarget.valueAsNumber)}
        />{' '}
        {fit.batch !== null && Number.isFinite(pageBatch) && (
          <button type="button" onClick={() => setFitBatch(null)}>
            Use the page’s ({pageBatch})
          </button>
        )}
        <p id="error-fitBatch" data-testid="error-fitBatch" className="hr-error" role="alert">
          {boxError ?? ''}
        </p>
      </div>
      {invalid ? (
        <p className="muted">Fix the setting marked in red: the advisor plans the page’s model.</p>
      ) : (
        <>
          <p className="muted fit-status" data-testid="fit-status" role="status">
            {fit.status === 'loading' ? `Planning every setup of effective batch ${batch}…` : ''}
          </p>
          {fit.status === 'error' && (
            <p className="hr-error" data-testid="fit-error">
              The advisor could not answer: {fit.error}
            </p>
          )}
          {answer && fit.status !== 'error' && (
            <div className={fit.status === 'loading' ? 'fit-answer fit-stale' : 'fit-answer'}>
              <FitAnswerView
                key={`${answer.effectiveBatch}|${answer.budgetBytes}`}
                answer={answer}
                apply={applySetup}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}
