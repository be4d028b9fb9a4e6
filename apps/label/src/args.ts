/**
 * Shared argument handling of `dlpipe-label` commands: node's parseArgs, then a zod schema;
 * every problem reported at once with the command's usage.
 *
 *   const o = parse(argv, { store: { type: 'string' } }, schema, USAGE);
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { OptionsError } from '@dlpipe/tensor';
import type { z } from 'zod';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export function parse<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  usage: string,
): z.output<S> | 'help' {
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
  if (parsed.values.help) return 'help';
  const r = schema.safeParse({ ...parsed.values, _: parsed.positionals });
  if (!r.success) {
    const why = r.error.issues.map(
      (i) => `${i.path[0] === '_' ? 'arguments' : `--${String(i.path.join('.'))}`}: ${i.message}`,
    );
    throw new OptionsError(`${why.join('; ')}\n\n${usage}`);
  }
  return r.data;
}

/** "a,b , c" → ['a', 'b', 'c']. */
export function list(s: string | undefined): string[] | undefined {
  return s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}
