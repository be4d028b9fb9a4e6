/**
 * The entry of every dlpipe CLI: picks the command from an explicit registry (entries may load
 * lazily, so `--help` and typos answer before heavy modules load), answers `--help`, runs it, and
 * turns errors into one line on stderr with the same exit codes everywhere:
 * 0 done, 2 usage or bad input (a DlpipeError, a missing/unreadable path, bad options),
 * 1 failure, 130 interrupted (143 for SIGTERM). `DLPIPE_DEBUG=1` adds the stack.
 *
 *   runCli('data', { convert, head: lazy('print rows', () => import('./head.js').then((m) => m.head)) }, process.argv.slice(2));
 *   runCli('demo', demoCommand, process.argv.slice(2)); // an app that is one command: `pnpm demo [options]`
 */
import { DlpipeError, InterruptedError, interruptedExitCode } from '../errors.js';
import { formatIssues } from '../zod-issues.js';
import { type Command, HelpRequested, wantsHelp } from './command.js';
import { appUsage } from './help.js';

/** A registry entry whose module loads only when the command is chosen. */
export interface LazyCommand {
  summary: string;
  load(): Promise<Command>;
}
export type CommandEntry = Command | LazyCommand;

/** A lazily loaded command entry. */
export function lazy(summary: string, load: () => Promise<Command>): LazyCommand {
  return { summary, load };
}

async function resolve(entry: CommandEntry): Promise<Command> {
  return 'load' in entry ? entry.load() : entry;
}

const FS_CODES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

interface SystemError extends Error {
  code?: string;
  path?: string;
  dest?: string;
}

function isZodError(err: unknown): err is Parameters<typeof formatIssues>[0] {
  return (
    err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues)
  );
}

/** One line and an exit status for an error escaping a command. */
export function describeError(err: unknown): { line: string; exitCode: number } {
  if (err instanceof DlpipeError) return { line: err.message, exitCode: err.exitCode };
  const sys = err as SystemError;
  if (err instanceof Error && sys.code && FS_CODES[sys.code]) {
    return { line: `${sys.path ?? sys.dest ?? '(path)'}: ${FS_CODES[sys.code]}`, exitCode: 2 };
  }
  if (isZodError(err)) return { line: formatIssues(err).join('; '), exitCode: 2 };
  if (err instanceof Error && err.name === 'AbortError') return { line: 'interrupted', exitCode: 130 };
  return { line: err instanceof Error ? err.message : String(err), exitCode: 1 };
}

/** A message on one line: its lines joined with '; '. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

export interface DispatchOptions {
  /** Aborted when the process is asked to stop (runCli wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** Called with the command once it is loaded (runCli reads `interruptible`). */
  onCommand?(command: Command): void;
}

/** Runs the chosen command and resolves to its exit code; errors become one stderr line. */
export async function dispatchCommand(
  app: string,
  commands: Record<string, CommandEntry> | Command,
  argv: string[],
  options: DispatchOptions = {},
): Promise<number> {
  if (isCommand(commands)) return runOne(app, '', commands, argv, options);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? console.log : console.error)(appUsage(app, commands));
    return name ? 0 : 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    console.error(`dlpipe-${app}: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})`);
    return 2;
  }
  return runOne(app, name, entry, rest, options);
}

function isCommand(x: Record<string, CommandEntry> | Command): x is Command {
  return typeof x.run === 'function' && typeof x.help === 'function';
}

/** Runs one command (`name` is '' for an app that is a single command, as `pnpm demo`). */
async function runOne(
  app: string,
  name: string,
  entry: CommandEntry,
  argv: string[],
  options: DispatchOptions,
): Promise<number> {
  const where = name ? `${app} ${name}` : app;
  try {
    const cmd = await resolve(entry);
    if (wantsHelp(argv)) {
      console.log(cmd.help(app, name));
      return 0;
    }
    options.onCommand?.(cmd);
    const signal = options.signal ?? new AbortController().signal;
    const code = await cmd.run(argv, { app, command: name, signal, json: false });
    return code === 0 && signal.aborted ? interruptedExitCode(signal) : code;
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(err.usage);
      return 0;
    }
    const { line, exitCode } = describeError(err);
    const hint = exitCode === 2 && !(err instanceof InterruptedError) ? ` (pnpm ${where} --help)` : '';
    console.error(`dlpipe-${where}: ${oneLine(line)}${hint}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    return exitCode;
  }
}

/**
 * Runs the CLI and exits the process with the command's code. The first SIGINT/SIGTERM aborts an
 * interruptible command's signal (it finishes cleanly and exits 130/143); otherwise, or at the
 * second signal, the process exits at once with that code.
 */
export function runCli(app: string, commands: Record<string, CommandEntry> | Command, argv: string[]): void {
  const controller = new AbortController();
  let current: Command | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    const code = sig === 'SIGTERM' ? 143 : 130;
    signals++;
    if (signals > 1 || !current?.interruptible) process.exit(code);
    process.stderr.write(`\n${sig}: stopping cleanly (again to quit at once)\n`);
    controller.abort(
      new InterruptedError(`stopped by ${sig}`, { signal: sig === 'SIGTERM' ? 'SIGTERM' : 'SIGINT' }),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  dispatchCommand(app, commands, argv, {
    signal: controller.signal,
    onCommand: (c) => {
      current = c;
    },
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`dlpipe-${app}: ${describeError(err).line}`);
      process.exit(1);
    },
  );
}
