/**
 * The plan workers' pool, without the workers: requests routed to one of `size` endpoints by
 * their configuration and combination (the same pair always to the same worker, so its plan cache
 * hits), one request in flight per endpoint and a queue behind it. Planning ahead (`warm`) waits
 * behind every request someone is waiting for; while the page's thread draws an answer (for
 * `quietMs` after it) it runs on all endpoints but one (one of two), so that thread keeps a core;
 * past that, on every endpoint. A request asked while its worker plans ahead is sent at once,
 * behind the warm-up in hand (a worker answers in order), not once the page's thread, busy with
 * the change that asked it, has read the warm-up's answer. Curves asked together (`curves`: the
 * page asks for every selected combination at once) go to their worker as one batch, at once,
 * answered in one message.
 * An endpoint that dies is replaced and its requests rejected; queued requests can be dropped when
 * newer ones supersede them, and a batch being planned stopped. planClient.ts gives it real Web
 * Workers; planPool.test.ts fakes them.
 */
import { hashKey, routeKey } from '../engine/explore/key';
import type { Comparison, Curve, CurveRequest, StepDetail, StepRequest } from '../engine/explore/types';
import type { FitAnswer, FitRequest } from '../engine/fit/types';
import { createFitSlot } from './fitSlot';
import type { PlanApi } from './planApi';
import { supersededError } from './superseded';
import { fromWire } from './curveWire';
import type { CurveOutcome } from './planWorkerApi';

/** One worker as the pool sees it (its calls answered in order, one at a time). */
export interface PlanEndpoint {
  /** The curves in order; fewer when cancelCurves stopped the batch (the rest were not planned). */
  curves(reqs: CurveRequest[]): Promise<CurveOutcome[]>;
  /** Stops the batch of curves being planned, after the curve in hand. */
  cancelCurves(): void;
  /** Plans the curve into the worker's cache; answers nothing. */
  warm(req: CurveRequest): Promise<void>;
  step(req: StepRequest): Promise<StepDetail>;
  compare(a: StepRequest, b: StepRequest): Promise<Comparison>;
  /** The fit advisor's answer (asked of the pool's fit worker only). */
  fit(req: FitRequest): Promise<FitAnswer>;
  /** Stops the fit question being answered, after the plan in hand (its call then rejects). */
  cancelFit(): void;
  /** Ends the worker; its unanswered calls are never answered. */
  close(): void;
}

/**
 * Starts an endpoint; it calls `died` (once) with why, if the worker dies. `role` 'fit': the
 * pool's fit worker (fitSlot.ts), which answers only the fit advisor.
 */
export type OpenEndpoint = (died: (reason: string) => void, role: 'plan' | 'fit') => PlanEndpoint;

/** Workers for a machine with `cores` logical cores: one less than the cores, 2 to 4 where there are 2 or more. */
export function defaultPoolSize(cores: number | undefined): number {
  const n = Math.max(1, Math.min(4, (cores || 2) - 1));
  return (cores ?? 0) >= 2 ? Math.max(2, n) : n;
}

interface Job {
  run: (e: PlanEndpoint) => Promise<unknown>;
  /** A warm-up (nobody waits for it): its place in the pool's order of warm-ups. */
  background?: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** A curve: sent together with the curves queued right behind it. */
  curve?: CurveRequest;
}

/**
 * The curve of a batch's outcome, or throws why there is none: the worker did not plan it (the
 * batch was stopped: Superseded) or could not (its message).
 */
function curveOf(o: CurveOutcome | undefined): Curve {
  if (!o) throw supersededError();
  if ('error' in o) throw Object.assign(new Error(o.error.message), { name: o.error.name });
  return fromWire(o.wire);
}

/** A job that runs the curves of `jobs` as one batch and settles each of them. */
function batchOf(jobs: Job[]): Job {
  const reqs = jobs.map((j) => j.curve as CurveRequest);
  const settleAll = (outcomes: CurveOutcome[]) =>
    jobs.forEach((job, i) => {
      try {
        job.resolve(curveOf(outcomes[i]));
      } catch (err) {
        job.reject(err);
      }
    });
  return {
    run: (e) => e.curves(reqs),
    resolve: (v) => settleAll(v as CurveOutcome[]),
    reject: (err) => jobs.forEach((job) => job.reject(err)),
    curve: reqs[0],
  };
}

interface Slot {
  endpoint: PlanEndpoint;
  queue: Job[];
  /** Warm-ups: started only when `queue` is empty. */
  background: Job[];
  /** The request in flight that someone waits for. */
  running: Job | null;
  /** The warm-up in flight: a request is sent behind it (the worker answers in order). */
  warming: Job | null;
}

/**
 * How long after an answer someone waited for the page's thread is taken as busy drawing it (the
 * curves, the step's views in turns): warm-ups leave it a core meanwhile.
 */
export const ANSWER_DRAW_MS = 250;

export function createPoolWith(size: number, open: OpenEndpoint, quietMs = ANSWER_DRAW_MS): PlanApi {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`a plan pool needs at least 1 worker, got ${size}`);
  let disposed = false;
  const slots: Slot[] = [];
  /** Warm-ups asked so far: they start in the order asked, across the endpoints. */
  let warmUps = 0;
  /** When the last answer someone waited for came (performance.now()). */
  let answeredAt = -Infinity;
  let quietTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * How many endpoints may plan ahead now: all but one (at least one) while the page draws an
   * answer (the pool has one worker less than the cores, defaultPoolSize, so that leaves the
   * page's thread a core), every one after; a pump is set for when that time is up.
   */
  function backgroundLimit(): number {
    const left = answeredAt + quietMs - performance.now();
    if (left <= 0 || size === 1) return size;
    if (quietTimer === undefined)
      quietTimer = setTimeout(() => {
        quietTimer = undefined;
        for (const slot of slots) pump(slot);
      }, left);
    return size - 1;
  }

  const start = (i: number): PlanEndpoint => {
    let endpoint: PlanEndpoint | null = null;
    endpoint = open((reason) => {
      if (endpoint) died(i, endpoint, reason);
    }, 'plan');
    return endpoint;
  };
  for (let i = 0; i < size; i++)
    slots.push({ endpoint: start(i), queue: [], background: [], running: null, warming: null });
  const fitSlot = createFitSlot((died) => open(died, 'fit'), supersededError);

  /** Every request of slot i rejects; a fresh worker takes its place. */
  function died(i: number, endpoint: PlanEndpoint, reason: string): void {
    const slot = slots[i]!;
    if (disposed || slot.endpoint !== endpoint) return;
    endpoint.close();
    const lost = [...inFlight(slot), ...slot.queue.splice(0), ...slot.background.splice(0)];
    slot.running = slot.warming = null;
    slot.endpoint = start(i);
    const error = new Error(`the planning worker stopped (${reason}); it was restarted, so try again`);
    for (const job of lost) job.reject(error);
    // Its warm-up, if it ran one, no longer holds back the other endpoints'.
    for (const other of slots) pump(other);
  }

  /** The jobs `slot` has sent and not had answered. */
  function inFlight(slot: Slot): Job[] {
    return [slot.warming, slot.running].filter((j): j is Job => j !== null);
  }

  /**
   * The next job: a queued request (a curve together with every curve queued right behind it),
   * else a warm-up when the endpoint has nothing in flight.
   */
  function next(slot: Slot): Job | undefined {
    const first = slot.queue[0];
    if (!first) return slot.warming ? undefined : nextBackground(slot);
    if (!first.curve) return slot.queue.shift();
    let n = 1;
    while (slot.queue[n]?.curve) n++;
    return n === 1 ? slot.queue.shift() : batchOf(slot.queue.splice(0, n));
  }

  /**
   * A warm-up of `slot`, unless as many endpoints as may are planning ahead already, or an idle
   * endpoint has an older one (the warm-ups asked first, the moved slider's, are planned first).
   */
  function nextBackground(slot: Slot): Job | undefined {
    const head = slot.background[0]?.background;
    if (head === undefined) return undefined;
    const ahead = slots.filter((s) => s.warming).length;
    const idle = (s: Slot) => s !== slot && !s.running && !s.warming && s.queue.length === 0;
    const older = slots.some((s) => idle(s) && (s.background[0]?.background ?? Infinity) < head);
    return !older && ahead < backgroundLimit() ? slot.background.shift() : undefined;
  }

  function pump(slot: Slot): void {
    if (slot.running || disposed) return;
    const job = next(slot);
    if (!job) return;
    const warmUp = job.background !== undefined;
    if (warmUp) slot.warming = job;
    else slot.running = job;
    const settle = (ok: boolean, value: unknown) => {
      if ((warmUp ? slot.warming : slot.running) !== job) return; // its worker died: already rejected
      if (warmUp) slot.warming = null;
      else {
        slot.running = null;
        answeredAt = performance.now();
      }
      if (ok) job.resolve(value);
      else job.reject(value);
      pump(slot);
      // A warm-up ended: another endpoint's may start.
      if (warmUp) for (const other of slots) pump(other);
    };
    let running: Promise<unknown>;
    try {
      running = job.run(slot.endpoint);
    } catch (e) {
      running = Promise.reject(e);
    }
    running.then(
      (v) => settle(true, v),
      (e: unknown) => settle(false, e),
    );
  }

  /**
   * Queues a request on its worker's slot and starts it if the slot is free; a curve only queues
   * (`curves` pumps once it has queued the whole batch, so each worker's curves go together).
   */
  function enqueue<T>(
    req: StepRequest | CurveRequest,
    run: (e: PlanEndpoint) => Promise<T>,
    { background = false, curve }: { background?: boolean; curve?: CurveRequest } = {},
  ): Promise<T> {
    if (disposed) return Promise.reject(new Error('the plan workers have been shut down'));
    const slot = slots[hashKey(routeKey(req.config, req.combo)) % size]!;
    return new Promise<T>((resolve, reject) => {
      (background ? slot.background : slot.queue).push({
        run,
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(background ? { background: warmUps++ } : {}),
        ...(curve ? { curve } : {}),
      });
      if (!curve) pump(slot);
    });
  }

  return {
    curves: (reqs) => {
      const answers = reqs.map((req) =>
        enqueue<Curve>(req, (e) => e.curves([req]).then(([o]) => curveOf(o)), { curve: req }),
      );
      // Queued first, then sent: each worker's curves go as one batch.
      for (const slot of slots) pump(slot);
      return answers;
    },
    warm: (req) => enqueue(req, (e) => e.warm(req), { background: true }),
    step: (req) => enqueue(req, (e) => e.step(req)),
    // The worker that holds a's plan (b's is built there if it is not cached).
    compare: (a, b) => enqueue(a, (e) => e.compare(a, b)),
    fit: (req) => fitSlot.fit(req),
    cancelFit: () => fitSlot.cancel(),
    cancelQueued: () => {
      for (const slot of slots) {
        for (const job of [...slot.queue.splice(0), ...slot.background.splice(0)])
          job.reject(supersededError());
        if (slot.running?.curve) slot.endpoint.cancelCurves();
      }
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      clearTimeout(quietTimer);
      fitSlot.dispose();
      const error = new Error('the plan workers have been shut down');
      for (const slot of slots) {
        slot.endpoint.close();
        for (const job of [...inFlight(slot), ...slot.queue.splice(0), ...slot.background.splice(0)])
          job.reject(error);
        slot.running = slot.warming = null;
      }
    },
  };
}
