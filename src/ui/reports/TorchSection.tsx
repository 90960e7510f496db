/**
 * A PyTorch memory snapshot (torch.cuda.memory._dump_snapshot) beside Headroom's plan of the step
 * on screen: its peak allocated and reserved bytes, its allocation timeline, and how far apart the
 * two peaks are.
 */
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { comboKey } from '../../engine/explore/types';
import { torchVsPlan } from '../../state/torchCompare';
import { Bytes } from '../Bytes';
import { byteTicks, formatBytes, formatBytesShort, formatCount } from '../format';
import { useAppState } from '../StoreContext';

/** Points drawn at most (a long snapshot's timeline is sampled, its peak kept). */
const MAX_POINTS = 800;

export function TorchSection() {
  const snapshot = useAppState((s) => s.torchSnapshot);
  const detail = useAppState((s) => s.step.detail);
  const clear = useAppState((s) => s.setTorchSnapshot);
  const rows = useMemo(() => {
    const t = snapshot?.summary.timeline ?? [];
    if (t.length <= MAX_POINTS) return t;
    const step = t.length / MAX_POINTS;
    const peak = t.reduce((best, r, i) => (r.allocatedBytes > t[best]!.allocatedBytes ? i : best), 0);
    const picked = new Set<number>([peak, t.length - 1]);
    for (let i = 0; i < MAX_POINTS; i++) picked.add(Math.floor(i * step));
    return [...picked].sort((a, b) => a - b).map((i) => t[i]!);
  }, [snapshot]);
  if (!snapshot) return null;
  const { summary } = snapshot;
  const plan = detail
    ? { combo: comboKey(detail.combo), batch: detail.batch, peakBytes: detail.peakBytes }
    : null;
  const yMax = Math.max(0, ...rows.map((r) => Math.max(r.allocatedBytes, r.reservedBytes)));
  const ticks = byteTicks(yMax);
  return (
    <section className="panel" aria-labelledby="torch-title" data-testid="torch-section">
      <div className="panel-head">
        <h2 id="torch-title">PyTorch beside Headroom</h2>
        <button type="button" data-testid="close-snapshot" onClick={() => clear(null)}>
          Close snapshot
        </button>
      </div>
      <p data-testid="torch-summary">{torchVsPlan(summary.peakAllocatedBytes, plan)}</p>
      <dl className="step-summary">
        <div>
          <dt>Snapshot</dt>
          <dd className="mono">{snapshot.name}</dd>
        </div>
        <div>
          <dt>Peak allocated</dt>
          <dd data-testid="torch-peak-allocated" data-bytes={summary.peakAllocatedBytes}>
            <Bytes value={summary.peakAllocatedBytes} />
          </dd>
        </div>
        <div>
          <dt>Peak reserved</dt>
          <dd data-testid="torch-peak-reserved" data-bytes={summary.peakReservedBytes}>
            <Bytes value={summary.peakReservedBytes} />
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{formatCount(summary.events)}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>cuda:{summary.device}</dd>
        </div>
        {plan && (
          <div>
            <dt>Headroom plans</dt>
            <dd data-testid="torch-planned" data-bytes={plan.peakBytes}>
              {formatBytes(plan.peakBytes)} ({plan.combo} @ {plan.batch})
            </dd>
          </div>
        )}
      </dl>
      {rows.length > 1 && (
        <figure className="chart" data-testid="torch-timeline">
          <figcaption>PyTorch's allocated and reserved bytes, event by event</figcaption>
          <LineChart responsive style={{ width: '100%', height: 220 }} data={rows}>
            <CartesianGrid stroke="var(--grid)" />
            <XAxis dataKey="index" type="number" domain={['dataMin', 'dataMax']} />
            <YAxis
              tickFormatter={formatBytesShort}
              width={80}
              ticks={ticks}
              domain={[0, ticks.at(-1) ?? 0]}
            />
            <Tooltip formatter={(v) => formatBytes(Number(v))} isAnimationActive={false} />
            <Line
              dataKey="allocatedBytes"
              name="allocated"
              stroke="var(--fg)"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="reservedBytes"
              name="reserved"
              stroke="var(--muted)"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </figure>
      )}
      {summary.largestAtPeak.length > 0 && (
        <details>
          <summary>Largest blocks at PyTorch's peak</summary>
          <ol className="mono">
            {summary.largestAtPeak.slice(0, 10).map((b, i) => (
              <li key={i}>
                {formatBytes(b.size)} — {b.frame}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
