/**
 * Shared pieces of the `dlpipe-scrape` commands: option parsing (node:util parseArgs, then zod),
 * usage errors, the storage and jobs directories, and finding a run by id or job name.
 *
 *   const { values, positionals } = parseCommand(argv, OPTIONS, schema, USAGE);
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { openSqliteStore, type RunInfo, type SqliteStore, StorageError, storePath } from '@dlpipe/scrape';
import type { z } from 'zod';
import { HelpRequested, UsageError } from './usage.js';

export { type Command, HelpRequested, UsageError } from './usage.js';

/** Options every command that touches the store takes. */
export const STORE_OPTIONS = {
  storage: { type: 'string' },
  jobs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const defaultStorage = (): string => process.env.DLPIPE_SCRAPE_STORAGE ?? 'runs/scrape';
export const defaultJobs = (): string => process.env.DLPIPE_SCRAPE_JOBS ?? 'jobs';

/** Parses argv with `options`, then checks the values with `schema` (kebab-case flags → camelCase keys). */
export function parseCommand<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  usage: string,
  positionals: { min: number; max: number },
): { values: z.output<S>; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  if (parsed.values.help) throw new HelpRequested(usage);
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError('missing argument', usage);
  if (n > positionals.max)
    throw new UsageError(`unexpected argument '${parsed.positionals[positionals.max]}'`, usage);
  const camel = Object.fromEntries(
    Object.entries(parsed.values).map(([k, v]) => [
      k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
      v,
    ]),
  );
  const checked = schema.safeParse(camel);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => {
      const flag = `--${String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      return `${flag}: ${i.message}`;
    });
    throw new UsageError(issues.join('; '), usage);
  }
  return { values: checked.data, positionals: parsed.positionals };
}

/** Opens the store of a storage directory. */
export function openStore(storage: string): SqliteStore {
  return openSqliteStore(storePath(storage));
}

/** A run by id (`12`) or by job name (its newest run). */
export async function findRun(store: SqliteStore, ref: string): Promise<RunInfo> {
  const run = /^\d+$/.test(ref) ? await store.runs.get(Number(ref)) : await store.runs.latest(ref);
  if (!run)
    throw new StorageError(`no run '${ref}' in ${store.path}; list runs with \`dlpipe-scrape status\``);
  return run;
}
