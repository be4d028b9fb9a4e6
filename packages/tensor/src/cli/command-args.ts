/**
 * Argument handling shared by dlpipe's CLIs: node's parseArgs, then a zod schema, with every
 * problem reported at once together with the command's usage; positionals arrive as `_`.
 *
 *   const o = parseCommandArgs(argv, { out: { type: 'string' } }, schema, USAGE);
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';
import { OptionsError } from '../errors.js';

/** One subcommand of a CLI. */
export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/**
 * -h/--help given to a command's own parser. `dispatchCommand` answers --help before a command
 * runs, so this reaches only callers that run a command directly; it carries the usage to print.
 */
export class HelpRequested extends OptionsError {
  constructor(readonly usage: string) {
    super(usage);
  }
}

/** Whether argv asks for help (-h/--help before any `--`). */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Parses argv (options + positionals) and validates with the schema; -h/--help throws HelpRequested. */
export function parseCommandArgs<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  usage: string,
): z.output<S> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new OptionsError(`${(err as Error).message}\n\n${usage}`);
  }
  if (parsed.values.help) throw new HelpRequested(usage);
  const r = schema.safeParse({ ...parsed.values, _: parsed.positionals });
  if (!r.success) {
    const why = r.error.issues.map(
      (i) => `${i.path[0] === '_' ? 'arguments' : `--${String(i.path.join('.'))}`}: ${i.message}`,
    );
    throw new OptionsError(`${why.join('; ')}\n\n${usage}`);
  }
  return r.data;
}
