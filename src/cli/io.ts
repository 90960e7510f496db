/** What every command shares: where output goes, exit codes, and the error for bad flags. */
import { spawn } from 'node:child_process';

/**
 * Exit codes of `headroom`: 0 done, 1 the work itself failed, 2 bad flags (usage), 3 a measured
 * peak over `profile --fail-over-budget`; an interrupted `profile` exits 130, 143 or 129
 * (interruptions.ts).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, overBudget: 3 } as const;

/** Output sinks, so tests can run commands in process and read what they print. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Runs this same command line again in a child process with `env` added, output inherited, and
   * resolves to its exit code (bin/headroom.mjs provides it; in-process callers do not).
   */
  relaunch?: (env: Record<string, string>) => Promise<number>;
}

/**
 * Ends a command with `code` after it has printed what it had to say (main prints nothing more).
 */
export class CommandExit extends Error {
  override readonly name = 'CommandExit';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * `relaunch` for the process's own command line (process.argv): the child inherits stdio; SIGINT,
 * SIGTERM and SIGHUP sent to this process are passed on, not acted on.
 */
export function relaunchSelf(env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (sig: NodeJS.Signals) => void child.kill(sig);
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  });
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** A flag or flag combination that cannot be used; printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** 1234567 -> "1,234,567". */
export { formatCount } from '../engine/report/bytes';
