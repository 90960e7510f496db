/**
 * One step of a report as a Chrome trace, for chrome://tracing, Perfetto (ui.perfetto.dev) or
 * speedscope: the nodes in execution order on one timeline, live bytes as a counter.
 *
 * Trace Event Format (Google, "Trace Event Format" document), the rules this follows:
 * - JSON Object Format: `{ "traceEvents": [...], "displayTimeUnit": "ms" }`; "displayTimeUnit: A
 *   string that specifies in which unit timestamps should be displayed. This supports values of
 *   `ms` or `ns`." "Any other properties seen in the object [...] are assumed to be metadata for
 *   the trace": ours are under `metadata`.
 * - Every event has `ph` (its type), `ts` ("The tracing clock timestamp of the event. The
 *   timestamps are provided at microsecond granularity"), `pid` and `tid`.
 * - Complete events, `ph: "X"`: "Each complete event logically combines a pair of duration (B and
 *   E) events"; "dur: Specifies the tracing clock duration of complete events in microseconds";
 *   `cat` is "The event categories [...] comma separated"; `args` "Any args provided for the
 *   event".
 * - Counter events, `ph: "C"`: "Each counter can be provided with multiple series of data to
 *   display"; "the name and id are used to identify the counter"; each series is a numeric value
 *   in `args`. "Counters are process-local".
 * - Instant events, `ph: "i"`, with `s` its scope (`g` global, `p` process, `t` thread).
 * - Metadata events, `ph: "M"`: `process_name` and `thread_name` "set the display name for the
 *   provided pid / tid", given as `args.name`.
 *
 * Times: a node lasts its `gpuMs` (measured with timestamp-query; a node that dispatched nothing
 * lasts 0), laid end to end: the timeline is GPU time without the gaps between kernels. Without any
 * `gpuMs` (a plan, or no timestamp-query) every node lasts a uniform 1 ms: the order is real, the
 * durations are not. `metadata.timing` says which.
 */
import type { Report } from '../report';
import type { OpRecord, Point } from '../schema';
import { liveDuring, opsOf, pointRef, stepPeak } from './pick';

export interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M' | 'i';
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  metadata: {
    tool: string;
    createdAt: string;
    point: string;
    ops: 'predicted' | 'measured';
    timing: 'gpuMs' | 'uniform-1ms';
    note: string;
    peakLiveBytes: number;
    peakNode: string | null;
    peakReservedBytes: number | null;
  };
}

const PID = 1;
const TID = 1;
const US_PER_MS = 1000;

/** A complete event per node, live bytes as a counter, the peak as an instant event. */
export function chromeTrace(
  r: Report,
  point: Point,
  opts: { ops?: 'predicted' | 'measured' } = {},
): ChromeTrace {
  const which = opts.ops ?? (point.measured ? 'measured' : 'predicted');
  const ops: readonly OpRecord[] = opsOf(point, which);
  const timed = ops.some((o) => o.gpuMs !== null);
  const durUs = (o: OpRecord) => (timed ? Math.round((o.gpuMs ?? 0) * US_PER_MS * 1000) / 1000 : US_PER_MS);
  const { during } = liveDuring(ops);
  const peak = stepPeak(ops);
  const peakAt = peak.node === null ? -1 : during.indexOf(peak.bytes);

  const ref = pointRef(point);
  const events: TraceEvent[] = [
    {
      name: 'process_name',
      ph: 'M',
      ts: 0,
      pid: PID,
      tid: TID,
      args: { name: `Headroom ${ref} (${which})` },
    },
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: TID, args: { name: 'training step' } },
  ];
  let ts = 0;
  ops.forEach((o, i) => {
    const dur = durUs(o);
    // Live bytes during the node (after its allocations, before its frees), then after its frees.
    events.push({ name: 'live bytes', ph: 'C', ts, pid: PID, tid: TID, args: { live: during[i]! } });
    if (i === peakAt)
      events.push({
        name: 'peak',
        ph: 'i',
        s: 'p',
        ts,
        pid: PID,
        tid: TID,
        args: { liveBytes: peak.bytes, node: o.node },
      });
    events.push({
      name: o.node,
      cat: o.phase,
      ph: 'X',
      ts,
      dur,
      pid: PID,
      tid: TID,
      args: {
        opType: o.opType,
        scope: o.scope,
        allocBytes: o.allocBytes,
        freedBytes: o.freedBytes,
        liveBytesAfter: o.liveBytesAfter,
        gpuMs: o.gpuMs,
        outputs: o.outputs.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype, bytes: t.bytes })),
      },
    });
    ts += dur;
    events.push({ name: 'live bytes', ph: 'C', ts, pid: PID, tid: TID, args: { live: o.liveBytesAfter } });
  });
  const reserved = which === 'measured' ? (point.measured?.peakReservedBytes ?? null) : null;
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    metadata: {
      tool: `headroom ${r.tool.version}`,
      createdAt: r.createdAt,
      point: ref,
      ops: which,
      timing: timed ? 'gpuMs' : 'uniform-1ms',
      note: timed
        ? 'each node lasts its measured GPU time (0 when it dispatched nothing), nodes laid end to end without the gaps between kernels'
        : 'no GPU times in these op records: every node lasts 1 ms; the order is the execution order, the durations are not measured',
      peakLiveBytes: peak.bytes,
      peakNode: peak.node,
      // Reports record reserved bytes only at the peak, not after each node: no reserved counter.
      peakReservedBytes: reserved,
    },
  };
}
