/**
 * What stops a long command early: Ctrl-C (SIGINT), `kill`, `timeout`, CI cancellation or
 * `docker stop` (SIGTERM), a closed terminal (SIGHUP), or the death of the process that started
 * this one (a relaunched child whose parent was killed with -9 must not measure on, unseen). Each
 * stops the work after the step in flight; the command then writes what finished and exits with
 * the signal's conventional code (128 + its number). The death of a launcher further up (a
 * SIGTERM ends `npx` but not what it started) counts as the parent's.
 */

import { readFileSync } from 'node:fs';

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

/**
 * A process that only launches `headroom` (npx / `npm exec`, the `sh -c headroom` npm runs, or
 * headroom's own relaunching parent), from its command line: when one of these dies, nobody is
 * waiting for our result. An interactive shell, `nohup` or a CI runner is not one.
 */
const LAUNCHER = /\b(npx|npm(-cli\.js)? exec|headroom)\b/;

/** Linux's /proc view of a process: its command line and parent, or null when it is gone. */
function procInfo(pid: number): { cmdline: string; ppid: number } | null {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { cmdline, ppid };
  } catch {
    return null;
  }
}

/**
 * The launchers between this process and whoever ran the command: its parent, grandparent...
 * while they are launchers (see LAUNCHER). A SIGTERM to `npx` ends npx but not its children;
 * watching the chain stops the sweep all the same. Empty where there is no /proc.
 */
export function launcherChain(pid: number = process.pid): number[] {
  const chain: number[] = [];
  let next = procInfo(pid)?.ppid ?? 0;
  while (next > 1 && chain.length < 8) {
    const info = procInfo(next);
    if (!info || !LAUNCHER.test(info.cmdline)) break;
    chain.push(next);
    next = info.ppid;
  }
  return chain;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

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
  const launchers = launcherChain();
  const poll = setInterval(() => {
    if (process.ppid !== parent) interrupt('SIGHUP', `the parent process ${parent} is gone`);
    const gone = launchers.find((pid) => !alive(pid));
    if (gone !== undefined) interrupt('SIGHUP', `the launching process ${gone} is gone`);
  }, PARENT_POLL_MS);
  poll.unref();
  return {
    signal: ac.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const [s, h] of handlers) process.off(s, h);
      clearInterval(poll);
    },
  };
}
