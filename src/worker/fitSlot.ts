/**
 * The plan pool's fit worker: one more plan worker, started on the first fit question, that
 * answers only the fit advisor (seconds of planning), so that no curve ever queues behind a
 * question. Only the latest question matters: one asked while another waits replaces it, and
 * `cancel` ends the worker answering a stale question (a synchronous adviseFit cannot be
 * interrupted any other way). Chromium lets a worker busy in a long task run on for up to two
 * seconds after terminate(), so the worker plans a question one plan a task (planWorkerApi.ts):
 * the CPU goes back to the curves after the plan under way.
 */
import type { FitAnswer, FitRequest } from '../engine/fit/types';

/** What the fit slot needs of a worker. */
export interface FitEndpoint {
  fit(req: FitRequest): Promise<FitAnswer>;
  /** Ends the worker; its unanswered calls are never answered. */
  close(): void;
}

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
  let disposed = false;

  /** Ends the worker; the question it was answering rejects with `error`. */
  const stop = (error: unknown) => {
    endpoint?.close();
    endpoint = null;
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
    if (running || !waiting || disposed) return;
    const job = (running = waiting);
    waiting = null;
    const worker = (endpoint ??= start());
    const settle = (ok: boolean, value: unknown) => {
      if (running !== job || endpoint !== worker) return; // cancelled, or its worker died
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
      if (running) stop(superseded());
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
