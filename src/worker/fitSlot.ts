/**
 * The plan pool's fit worker: one more plan worker, started on the first fit question, that
 * answers only the fit advisor (seconds of planning), so that no curve ever queues behind a
 * question. Only the latest question matters: one asked while another waits replaces it, and
 * `cancel` stops the question being answered. The worker plans a question one plan a task
 * (planWorkerApi.ts) and reads its messages between two, so it stops within a plan and stays: its
 * compiled code and its cache of plans serve the next question (a worker ended and started again
 * loads and compiles the whole planner anew, on the cores the sliders need). A worker that has not
 * stopped FIT_CANCEL_GRACE_MS after being asked is ended (Chromium ends a worker between tasks).
 */
import type { FitAnswer, FitRequest } from '../engine/fit/types';

/** What the fit slot needs of a worker. */
export interface FitEndpoint {
  fit(req: FitRequest): Promise<FitAnswer>;
  /** Asks the worker to stop the question it is answering, after the plan in hand. */
  cancelFit(): void;
  /** Ends the worker; its unanswered calls are never answered. */
  close(): void;
}

/** How long a worker asked to stop a question may take before it is ended instead. */
export const FIT_CANCEL_GRACE_MS = 1000;

export interface FitSlot {
  fit(req: FitRequest): Promise<FitAnswer>;
  cancel(): void;
  dispose(): void;
}

interface FitJob {
  req: FitRequest;
  resolve(answer: FitAnswer): void;
  reject(err: unknown): void;
}

/**
 * The fit slot over `open` (which starts a worker; it calls `died` once if that worker dies);
 * `superseded` makes the error a replaced or cancelled question rejects with.
 */
export function createFitSlot(
  open: (died: (reason: string) => void) => FitEndpoint,
  superseded: () => Error,
): FitSlot {
  let endpoint: FitEndpoint | null = null;
  let running: FitJob | null = null;
  let waiting: FitJob | null = null;
  /** A question the worker was asked to stop and has not yet: the next one waits for it. */
  let stopping: { job: FitJob; timer: ReturnType<typeof setTimeout> } | null = null;
  let disposed = false;

  /** Ends the worker; the question it was answering rejects with `error`. */
  const stop = (error: unknown) => {
    endpoint?.close();
    endpoint = null;
    if (stopping) clearTimeout(stopping.timer);
    stopping = null;
    const job = running;
    running = null;
    job?.reject(error);
  };

  const start = (): FitEndpoint => {
    const opened: FitEndpoint = open((reason) => {
      if (endpoint !== opened) return;
      const error = new Error(`the fit advisor's worker stopped (${reason}); ask again to restart it`);
      stop(error);
      pump();
    });
    return opened;
  };

  function pump(): void {
    if (running || stopping || !waiting || disposed) return;
    const job = (running = waiting);
    waiting = null;
    const worker = (endpoint ??= start());
    const settle = (ok: boolean, value: unknown) => {
      if (endpoint !== worker) return; // its worker was ended
      if (stopping?.job === job) {
        // Stopped (or answered before it could stop): the worker is free for the next question.
        clearTimeout(stopping.timer);
        stopping = null;
        return pump();
      }
      if (running !== job) return;
      running = null;
      if (ok) job.resolve(value as FitAnswer);
      else job.reject(value);
      pump();
    };
    let answer: Promise<FitAnswer>;
    try {
      answer = worker.fit(job.req);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (v) => settle(true, v),
      (e: unknown) => settle(false, e),
    );
  }

  return {
    fit(req) {
      if (disposed) return Promise.reject(new Error('the plan workers have been shut down'));
      return new Promise<FitAnswer>((resolve, reject) => {
        waiting?.reject(superseded());
        waiting = { req, resolve, reject };
        pump();
      });
    },
    cancel() {
      waiting?.reject(superseded());
      waiting = null;
      const job = running;
      if (!job || !endpoint) return;
      running = null;
      job.reject(superseded());
      endpoint.cancelFit();
      // A worker that does not stop in time (a question's last, synchronous part) is ended.
      const timer = setTimeout(() => {
        if (stopping?.job !== job) return;
        stop(superseded());
        pump();
      }, FIT_CANCEL_GRACE_MS);
      stopping = { job, timer };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      const error = new Error('the plan workers have been shut down');
      waiting?.reject(error);
      waiting = null;
      stop(error);
    },
  };
}
