/**
 * What stops a long command early: Ctrl-C (SIGINT), `kill`, `timeout`, CI cancellation or
 * `docker stop` (SIGTERM), a closed terminal (SIGHUP), or the death of the process that started
 * this one (a relaunched child whose parent was killed with -9 must not measure on, unseen). Each
 * stops the work after the step in flight; the command then writes what finished and exits with
 * the signal's conventional code (128 + its number).
 */

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** 128 + the signal's number; a parent that died counts as a hang-up (its terminal is gone). */
export const INTERRUPT_EXIT: Readonly<Record<InterruptSignal, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

/** How often a process checks that the process that started it is still there. */
const PARENT_POLL_MS = 500;

export interface Interruptions {
  /** Aborted at the first interruption. */
  readonly signal: AbortSignal;
  /** The first interruption, or null. */
  readonly received: InterruptSignal | null;
  /** Stops listening. */
  dispose(): void;
}

export interface WatchOptions {
  /** Told once, at the first interruption. */
  onInterrupt(why: InterruptSignal, detail: string): void;
  /** Also stop when the parent process dies (default: true). */
  watchParent?: boolean;
}

/**
 * Listens for interruptions until disposed. Later signals are ignored: npx and a relaunching
 * parent pass the same Ctrl-C on again.
 */
export function watchInterruptions(opts: WatchOptions): Interruptions {
  const ac = new AbortController();
  let received: InterruptSignal | null = null;
  const interrupt = (why: InterruptSignal, detail: string) => {
    if (received) return;
    received = why;
    ac.abort();
    opts.onInterrupt(why, detail);
  };
  const handlers = INTERRUPT_SIGNALS.map((s) => [s, () => interrupt(s, s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  const parent = process.ppid;
  const poll =
    opts.watchParent === false
      ? null
      : setInterval(() => {
          if (process.ppid !== parent) interrupt('SIGHUP', `the parent process ${parent} is gone`);
        }, PARENT_POLL_MS);
  poll?.unref();
  return {
    signal: ac.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const [s, h] of handlers) process.off(s, h);
      if (poll) clearInterval(poll);
    },
  };
}
