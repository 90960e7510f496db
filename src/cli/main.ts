/**
 * The `headroom` command line: the program, its subcommands and the exit codes
 * (0 done, 1 the work failed, 2 bad flags, 3 over profile's --fail-over-budget, 130/143/129
 * interrupted by SIGINT/SIGTERM/SIGHUP).
 * bin/headroom.mjs runs `main` through tsx in a checkout, and the bundle `npm run build:cli` makes
 * (dist-cli/headroom.mjs, src/cli/standalone.ts) where it was installed from a package.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerExportOnnx } from './exportOnnx';
import { registerFit } from './fit';
import { registerPlan } from './plan';
import { registerProfile } from './profile';
import { registerReport } from './report';
import { CommandExit, EXIT, processIO, UsageError, type CliIO } from './io';

/** Set by the CLI bundle (scripts/build-cli.mjs), which has no package.json two folders up. */
declare const __HEADROOM_VERSION__: string | undefined;

function packageVersion(): string {
  if (typeof __HEADROOM_VERSION__ === 'string') return __HEADROOM_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The program with every subcommand; parsing throws instead of exiting. */
export function createProgram(io: CliIO = processIO): Command {
  const program = new Command('headroom')
    .description('GPU memory profiler for transformer training steps')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError();
  registerExportOnnx(program, io);
  registerPlan(program, io);
  registerProfile(program, io);
  registerReport(program, io);
  registerFit(program, io);
  return program;
}

/**
 * Refuses what commander would silently accept: a flag given twice (commander keeps the last:
 * `--seq abc --seq 8` would run) and no command at all (commander prints the help only).
 */
function checkArgv(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const flags = (end < 0 ? argv : argv.slice(0, end))
    .filter((a) => a.startsWith('--') && a.length > 2)
    .map((a) => a.split('=')[0]!);
  const seen = new Set<string>();
  for (const f of flags) {
    if (seen.has(f)) throw new UsageError(`${f} is given more than once: give each flag once`);
    seen.add(f);
  }
  if (argv.length === 0)
    throw new UsageError(
      'no command given: headroom plan, fit, profile, export-onnx or report (headroom --help lists them)',
    );
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    checkArgv(argv);
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    // Commander has printed its own message (or the help / version) already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CommandExit) return e.code;
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT.usage;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(process.env.HEADROOM_DEBUG ? `${err.stack}\n` : `error: ${err.message}\n`);
    return EXIT.failure;
  }
}
