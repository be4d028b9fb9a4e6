/**
 * A CLI command declared once: positional arguments and flags are zod fields (with `.describe()`
 * and `.default()`), and from them come the parser, the `--help` text, the typed values and, for
 * commands that print results, `--json`. Flags are the kebab-case form of the keys
 * (`maxPages` → `--max-pages`).
 *
 *   export const head = defineCommand({
 *     summary: 'print the first rows of a table',
 *     args: { file: z.string().describe('a CSV (any compression) or Feather file') },
 *     flags: { n: z.coerce.number().int().min(0).default(10).meta({ short: 'n', description: 'rows' }) },
 *     json: true,
 *     async run({ file, n }) { const t = await readTable(file); return { lines: [formatTable(t.head(n))], data: t.head(n).toRecords() }; },
 *   });
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { DlpipeError, OptionsError } from '../errors.js';
import { formatIssues } from '../zod-issues.js';
import { type FieldInfo, fieldsOf } from './fields.js';
import { commandHelp } from './help.js';

/** What a command's `run` gets besides its values. */
export interface CommandContext {
  /** `data` in `pnpm data convert`. */
  app: string;
  /** `convert` in `pnpm data convert`. */
  command: string;
  /** Aborted at the first SIGINT/SIGTERM when the command is `interruptible`. */
  signal: AbortSignal;
  /** Whether `--json` was given (results go out as one JSON document). */
  json: boolean;
}

/** What a command returns: lines for people, data for `--json`, and the exit status (default 0). */
export interface CommandOutput {
  lines?: string[];
  data?: unknown;
  exitCode?: number;
}

type Shape = z.ZodRawShape;
/** The typed values of a command: its arguments and flags in one object. */
export type CommandValues<A extends Shape, F extends Shape> = z.output<z.ZodObject<A>> &
  z.output<z.ZodObject<F>>;

export interface CommandSpec<A extends Shape, F extends Shape> {
  /** One line for the app's command table. */
  summary: string;
  /** Paragraphs under the synopsis: what the command does and writes. */
  description?: string;
  /** Positional arguments in order (an array field takes the rest; optional ones come last). */
  args?: A;
  /** Flags (`--key value`, booleans as `--key`, arrays repeat). */
  flags?: F;
  /** Example command lines for the help text. */
  examples?: string[];
  /** Adds `--json`: the result's `data` is printed as JSON instead of its `lines`. */
  json?: boolean;
  /** The command stops cleanly on `ctx.signal`; otherwise the first SIGINT exits 130 at once. */
  interruptible?: boolean;
  run(values: CommandValues<A, F>, ctx: CommandContext): Promise<CommandOutput | number | undefined>;
}

/** A command as registries hold it. */
export interface Command {
  summary: string;
  interruptible: boolean;
  /** The full `--help` text (needs the app and command names for the synopsis). */
  help(app: string, name: string): string;
  /** Parses argv, runs, prints; resolves to the exit status. Throws OptionsError on bad usage. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** `-h`/`--help` was given to a parser; carries the text to print. */
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

function parserOptions(flags: FieldInfo[], json: boolean): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const f of flags) {
    options[f.flag.slice(2)] = {
      type: f.kind,
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.short ? { short: f.short } : {}),
    };
  }
  if (json) options.json = { type: 'boolean' };
  return options;
}

function checkNames(args: FieldInfo[], flags: FieldInfo[]): void {
  const seen = new Set<string>(['help', 'json']);
  for (const f of [...args, ...flags]) {
    if (seen.has(f.key))
      throw new DlpipeError('COMMAND_DEFINITION', `command field '${f.key}' is declared twice`, {
        exitCode: 1,
      });
    seen.add(f.key);
  }
  const rest = args.findIndex((a) => a.multiple);
  if (rest !== -1 && rest !== args.length - 1)
    throw new DlpipeError('COMMAND_DEFINITION', 'only the last argument may repeat', { exitCode: 1 });
}

/** Maps positionals onto the argument fields; too few or too many is an OptionsError. */
function assignArgs(args: FieldInfo[], positionals: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  args.forEach((a, i) => {
    if (a.multiple) out[a.key] = positionals.slice(i);
    else if (i < positionals.length) out[a.key] = positionals[i];
  });
  const required = args.filter((a) => !a.optional);
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map((a) => `<${a.key}>`);
    throw new OptionsError(`missing argument ${missing.join(' ')}`);
  }
  if (!args.some((a) => a.multiple) && positionals.length > args.length) {
    throw new OptionsError(`unexpected argument '${positionals[args.length]}'`);
  }
  return out;
}

/** A field as the user typed it, for messages: `--epochs 'abc'`, `<file>`. */
function shown(f: FieldInfo | undefined, raw: Record<string, unknown>, key: string): string {
  const name = f?.flag ?? key;
  const v = raw[key];
  return typeof v === 'string' ? `${name} '${v}'` : name;
}

export interface DefinedCommand<A extends Shape, F extends Shape> extends Command {
  spec: CommandSpec<A, F>;
  /** Parses argv into typed values (HelpRequested on --help, OptionsError on bad usage). */
  parse(argv: string[]): CommandValues<A, F> & { json: boolean };
}

/** Declares a command; see the file header. */
export function defineCommand<A extends Shape = Record<never, never>, F extends Shape = Record<never, never>>(
  spec: CommandSpec<A, F>,
): DefinedCommand<A, F> {
  const argFields = fieldsOf(spec.args ?? {});
  const flagFields = fieldsOf(spec.flags ?? {});
  checkNames(argFields, flagFields);
  for (const a of argFields) a.flag = `<${a.key}>`;
  const schema = z.object({ ...(spec.args ?? {}), ...(spec.flags ?? {}) } as A & F);
  const byKey = new Map([...argFields, ...flagFields].map((f) => [f.key, f]));
  const options = parserOptions(flagFields, Boolean(spec.json));
  const help = (app: string, name: string) => commandHelp(app, name, spec, argFields, flagFields);

  function parse(argv: string[], usage = ''): CommandValues<A, F> & { json: boolean } {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new OptionsError(
        (err as Error).message.replace(/\. To specify a positional.*$/s, '').replace(/\s*\n\s*/g, ' '),
      );
    }
    if (parsed.values.help) throw new HelpRequested(usage);
    const raw: Record<string, unknown> = { ...assignArgs(argFields, parsed.positionals) };
    for (const f of flagFields) {
      const v = parsed.values[f.flag.slice(2)];
      if (v !== undefined) raw[f.key] = v;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      const lines = formatIssues(r.error, (path) => shown(byKey.get(String(path[0])), raw, String(path[0])));
      throw new OptionsError(lines.join('; '));
    }
    return { ...(r.data as CommandValues<A, F>), json: Boolean(parsed.values.json) };
  }

  return {
    spec,
    summary: spec.summary,
    interruptible: Boolean(spec.interruptible),
    help,
    parse: (argv) => parse(argv, spec.summary),
    async run(argv, ctx) {
      const values = parse(argv, help(ctx.app, ctx.command));
      const out = await spec.run(values, { ...ctx, json: values.json });
      return printOutput(out, values.json);
    },
  };
}

/** Prints a command's result and gives its exit status. */
function printOutput(out: CommandOutput | number | undefined, json: boolean): number {
  if (typeof out === 'number') return out;
  if (!out) return 0;
  if (json) {
    if (out.data !== undefined) process.stdout.write(`${JSON.stringify(out.data, null, 2)}\n`);
  } else {
    for (const line of out.lines ?? []) process.stdout.write(`${line}\n`);
  }
  return out.exitCode ?? 0;
}
