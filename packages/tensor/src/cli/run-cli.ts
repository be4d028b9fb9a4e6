/**
 * The entry of a dlpipe CLI with subcommands: picks the command from an explicit registry, prints
 * the usage table (and a command's own usage for `<command> --help`), and turns errors into one line on stderr (exit 2 for dlpipe's typed errors,
 * 1 otherwise; `DLPIPE_DEBUG=1` adds the stack).
 *
 *   runCli('data', { convert, head, info }, process.argv.slice(2));
 */
import { DlpipeError } from '../errors.js';
import { type Command, HelpRequested, wantsHelp } from './command-args.js';

/** The usage text listing the commands. */
export function cliUsage(app: string, commands: Record<string, Command>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `usage: pnpm ${app} <command> [options]   (pnpm ${app} <command> --help)\n\ncommands:\n${rows.join('\n')}`;
}

/** Runs the chosen command and resolves to its exit code. */
export async function dispatchCommand(
  app: string,
  commands: Record<string, Command>,
  argv: string[],
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(cliUsage(app, commands));
    return name ? 0 : 2;
  }
  const cmd = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!cmd) {
    console.error(`dlpipe-${app}: unknown command '${name}'\n\n${cliUsage(app, commands)}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (!(err instanceof HelpRequested)) throw err;
    console.log(err.usage);
    return 0;
  }
}

/** Runs the CLI and exits the process with the command's code. */
export function runCli(app: string, commands: Record<string, Command>, argv: string[]): void {
  dispatchCommand(app, commands, argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`dlpipe-${app}: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
      process.exit(err instanceof DlpipeError ? 2 : 1);
    },
  );
}
