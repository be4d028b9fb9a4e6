/**
 * Shared argument handling of `dlpipe-data` commands: node's parseArgs, then a zod schema; every
 * problem is reported at once with the command's usage.
 *
 *   const o = parse(argv, { out: { type: 'string' } }, schema, USAGE);
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DTYPES, type DType } from '@dlpipe/data';
import { OptionsError } from '@dlpipe/tensor';
import type { z } from 'zod';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Parses argv (options + positionals) and validates with the schema. 'help' for -h/--help. */
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

/** `--dtype col=type` (repeatable) as a record. */
export function parseDtypes(specs: string[] | undefined): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const s of specs ?? []) {
    const m = /^(.+)=(\w+)$/.exec(s);
    if (!m || !DTYPES.includes(m[2] as DType)) {
      throw new OptionsError(`--dtype '${s}': expected column=type with type one of ${DTYPES.join(', ')}`);
    }
    out[m[1]!] = m[2] as DType;
  }
  return out;
}

/** '\t' and 'tab' mean a tab. */
export function delimiter(d: string | undefined): string | undefined {
  return d === '\\t' || d === 'tab' ? '\t' : d;
}
