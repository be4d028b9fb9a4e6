/**
 * The entry of a CLI that is a single command, with no command word (`pnpm demo --steps crawl`):
 * @dlpipe/core's `runCli` contract for one `defineCommand` — generated `--help`, one stderr line
 * per error with the same exit codes (0 done, 2 usage or bad input, 1 failure, 130 interrupted),
 * `DLPIPE_DEBUG=1` for the stack. Local until @dlpipe/core has it.
 *
 *   runSingle('demo', demo, process.argv.slice(2));
 */
import { type Command, describeError, HelpRequested, InterruptedError, wantsHelp } from '@dlpipe/core';

/** The command's `--help` with the synopsis `pnpm <app> [options]` (no command word). */
export function singleHelp(app: string, command: Command): string {
  return command.help(app, '').replace(`pnpm ${app}  `, `pnpm ${app} `);
}

/** Runs the command on argv and resolves to its exit code; errors become one stderr line. */
export async function dispatchSingle(
  app: string,
  command: Command,
  argv: string[],
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  try {
    if (wantsHelp(argv)) throw new HelpRequested(singleHelp(app, command));
    const code = await command.run(argv, { app, command: '', signal, json: false });
    return code === 0 && signal.aborted ? 130 : code;
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(singleHelp(app, command));
      return 0;
    }
    const { line, exitCode } = describeError(err);
    const hint = exitCode === 2 && !(err instanceof InterruptedError) ? ` (pnpm ${app} --help)` : '';
    console.error(`dlpipe-${app}: ${line.split('\n')[0]}${hint}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    return exitCode;
  }
}

/**
 * Runs the command and exits with its code. SIGINT/SIGTERM exit 130/143 at once, unless the
 * command is interruptible: then the first aborts its signal and the second exits.
 */
export function runSingle(app: string, command: Command, argv: string[]): void {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals > 1 || !command.interruptible) process.exit(sig === 'SIGTERM' ? 143 : 130);
    process.stderr.write(`\n${sig}: stopping cleanly (again to quit at once)\n`);
    controller.abort(new InterruptedError(`stopped by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  dispatchSingle(app, command, argv, controller.signal).then((code) => process.exit(code));
}
