/**
 * Loads a job from a YAML/JSON file or a TS/JS module: `${VAR}` / `${VAR:-default}` filled from
 * the environment, checked against the schema (every problem reported with its field path and
 * line), an `extract: { module }` reference imported. The result carries a hash of the
 * definition, so a resumed run can tell when its job changed.
 *
 *   const job = await loadJob('jobs/shop.yaml');
 *   // JobFileError: jobs/shop.yaml:
 *   //   maxDepth (line 7): Invalid input: expected number, received string
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatIssues, issuePath } from '@dlpipe/core';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ExtractFunction } from '../crawler/crawl-options.js';
import { JobFileError } from '../errors.js';
import { type JobDefinition, jobDefinitionSchema, jobFileSchema } from './job-schema.js';

/** A loaded, checked job. */
export interface Job {
  definition: JobDefinition;
  /** The file it came from, when it came from one. */
  file: string | undefined;
  /** sha256 of the definition (functions by their source). */
  configHash: string;
}

export const JOB_FILE_EXTENSIONS: readonly string[] = [
  '.yaml',
  '.yml',
  '.json',
  '.ts',
  '.mts',
  '.js',
  '.mjs',
];
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Replaces `${VAR}` and `${VAR:-default}` in every string; unset variables without default are issues. */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: PropertyKey[] = [],
  issues: string[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
      const v = env[name] ?? fallback;
      if (v === undefined)
        issues.push(
          `${issuePath(path)}: environment variable ${name} is not set (or write \${${name}:-default})`,
        );
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, i], issues));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, [...path, k], issues)]),
    );
  }
  return value;
}

/** A line locator for paths in a YAML document: "line 7" for `['maxDepth']`. */
function yamlLocator(text: string): {
  data: unknown;
  errors: string[];
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return `line ${pos.line}, column ${pos.col}: ${e.message.split('\n')[0]}`;
  });
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      if (n > 0 && (isMap(parent) || isSeq(parent))) {
        const range = (parent as { range?: [number, number, number] }).range;
        if (range) return lineCounter.linePos(range[0]).line;
      }
    }
    return undefined;
  };
  return { data: errors.length ? undefined : doc.toJS(), errors, lineOf };
}

/** sha256 of a definition; functions hash by their source text. */
export function hashDefinition(def: unknown): string {
  const json = JSON.stringify(def, (_, v) => (typeof v === 'function' ? `fn:${String(v)}` : v));
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function zodLines(
  error: z.ZodError,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
): string[] {
  return formatIssues(error).map((line) => {
    if (!lineOf) return line;
    const path = line.slice(0, line.indexOf(':'));
    const keys = path === '(root)' ? [] : path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const n = lineOf(keys);
    return n === undefined ? line : line.replace(/^([^:]+):/, `$1 (line ${n}):`);
  });
}

/** Imports a job or extract module; TypeScript through tsx where Node cannot (the CLI's JS build). */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(resolve(file)).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/** Loads and checks a job file; `env` fills `${VAR}` (default process.env). */
export async function loadJob(
  file: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Job> {
  const ext = extname(file).toLowerCase();
  if (!JOB_FILE_EXTENSIONS.includes(ext)) {
    throw new JobFileError(file, [
      `unknown job file type '${ext}'; expected one of ${JOB_FILE_EXTENSIONS.join(', ')}`,
    ]);
  }
  const fallbackName = basename(file, ext);
  if (MODULE_EXTENSIONS.includes(ext)) {
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(file);
    } catch (err) {
      throw new JobFileError(file, [`cannot import it: ${(err as Error).message.split('\n')[0]}`]);
    }
    const def = (mod.default ?? mod.job) as Record<string, unknown> | undefined;
    if (!def || typeof def !== 'object')
      throw new JobFileError(file, ['export the job as default (export default defineJob({...}))']);
    return checkDefinition({ name: fallbackName, ...def }, file);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new JobFileError(file, [`cannot read it: ${(err as Error).message}`]);
  }
  const { data, errors, lineOf } = yamlLocator(text);
  if (errors.length)
    throw new JobFileError(
      file,
      errors.map((e) => `not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${e}`),
    );
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new JobFileError(file, ['(root): expected a mapping of job fields']);
  const envIssues: string[] = [];
  const filled = interpolateEnv({ name: fallbackName, ...(data as object) }, env, [], envIssues);
  const parsed = jobFileSchema.safeParse(filled);
  const issues = [...envIssues, ...(parsed.success ? [] : zodLines(parsed.error, lineOf))];
  if (!parsed.success || issues.length) throw new JobFileError(file, issues);
  const { extract, ...fields } = parsed.data;
  const definition: JobDefinition = { ...fields };
  if (extract !== undefined) {
    definition.extract =
      'module' in extract
        ? await loadExtractFunction(
            file,
            extract.module,
            extract.export ?? 'default',
            lineOf(['extract', 'module']),
          )
        : extract;
  }
  return { definition, file, configHash: hashDefinition(filled) };
}

async function loadExtractFunction(
  file: string,
  module: string,
  name: string,
  line: number | undefined,
): Promise<ExtractFunction> {
  const where = `extract.module${line ? ` (line ${line})` : ''}`;
  const target = resolve(dirname(file), module);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(target);
  } catch (err) {
    throw new JobFileError(file, [
      `${where}: cannot import ${target}: ${(err as Error).message.split('\n')[0]}`,
    ]);
  }
  const fn = mod[name];
  if (typeof fn !== 'function') {
    const exported = Object.keys(mod).join(', ') || 'nothing';
    throw new JobFileError(file, [
      `${where}: ${target} has no function export '${name}' (it exports ${exported}); set extract.export`,
    ]);
  }
  return fn as ExtractFunction;
}

/** Checks a definition written in code. */
export function checkDefinition(def: unknown, file?: string): Job {
  const parsed = jobDefinitionSchema.safeParse(def);
  if (!parsed.success) throw new JobFileError(file ?? 'job definition', zodLines(parsed.error));
  return { definition: parsed.data as JobDefinition, file, configHash: hashDefinition(def) };
}
