/**
 * Writes rows (dataset records or the image manifest) as JSONL, CSV or Feather, atomically (a
 * temporary file renamed into place), from an async source read once or twice, never whole.
 *
 *   await exportRows(() => dataset.records(), 'out/data.csv', 'csv');
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { OptionsError, withAtomicFile } from '@dlpipe/core';

export type ExportFormat = 'jsonl' | 'csv' | 'feather';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'feather'];

/** Rows, re-readable: CSV and Feather read them twice (columns and types first). */
export type RowSource = () => AsyncIterable<Record<string, unknown>>;

type Writer = (rows: RowSource, tmp: string) => Promise<number>;

/** A CSV field: quoted when it holds a comma, quote, newline or edge spaces (RFC 4180). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Column names in order of first appearance. */
async function columnsOf(rows: RowSource): Promise<string[]> {
  const seen = new Set<string>();
  for await (const r of rows()) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

async function writeLines(tmp: string, lines: AsyncIterable<string>): Promise<void> {
  const out = createWriteStream(tmp);
  try {
    for await (const line of lines)
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  } catch (err) {
    out.destroy();
    await finished(out).catch(() => undefined);
    throw err;
  }
  out.end();
  await finished(out);
}

const writeJsonl: Writer = async (rows, tmp) => {
  let n = 0;
  await writeLines(
    tmp,
    (async function* () {
      for await (const r of rows()) {
        n++;
        yield `${JSON.stringify(r)}\n`;
      }
    })(),
  );
  return n;
};

const writeCsv: Writer = async (rows, tmp) => {
  const cols = await columnsOf(rows);
  let n = 0;
  await writeLines(
    tmp,
    (async function* () {
      yield `${cols.map(csvField).join(',')}\r\n`;
      for await (const r of rows()) {
        n++;
        yield `${cols.map((c) => csvField(r[c])).join(',')}\r\n`;
      }
    })(),
  );
  return n;
};

type FeatherType = 'int' | 'float' | 'bool' | 'string';

/** Feather column types: integers → int, other numbers → float, booleans → bool, anything else (lists, tables, mixed) → strings (JSON). */
async function featherTypes(rows: RowSource): Promise<Map<string, FeatherType>> {
  const kinds = new Map<string, Set<FeatherType>>();
  for await (const r of rows()) {
    for (const [k, v] of Object.entries(r)) {
      let set = kinds.get(k);
      if (!set) {
        set = new Set();
        kinds.set(k, set);
      }
      if (v === null || v === undefined) continue;
      set.add(
        typeof v === 'number'
          ? Number.isInteger(v)
            ? 'int'
            : 'float'
          : typeof v === 'boolean'
            ? 'bool'
            : 'string',
      );
    }
  }
  const types = new Map<string, FeatherType>();
  for (const [k, set] of kinds) {
    if (set.size === 1) types.set(k, [...set][0]!);
    else if (set.size === 2 && set.has('int') && set.has('float')) types.set(k, 'float');
    else types.set(k, 'string');
  }
  return types;
}

const writeFeatherRows: Writer = async (rows, tmp) => {
  process.env.DOTENV_CONFIG_QUIET ??= 'true';
  const { FeatherWriter, Table } = await import('@dlpipe/data');
  const types = await featherTypes(rows);
  const names = [...types.keys()];
  const writer = new FeatherWriter(tmp);
  let n = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const columns = Object.fromEntries(names.map((c) => [c, batch.map((r) => cell(r[c], types.get(c)!))]));
    await writer.write(Table.fromColumns(columns, { dtypes: Object.fromEntries(types) }));
    batch = [];
  };
  try {
    for await (const r of rows()) {
      batch.push(r);
      n++;
      if (batch.length === 10_000) await flush();
    }
    if (batch.length || n === 0) await flush();
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return n;
};

function cell(v: unknown, type: FeatherType): number | boolean | string | null {
  if (v === null || v === undefined) return null;
  if (type === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
  return v as number | boolean;
}

const WRITERS: Record<ExportFormat, Writer> = { jsonl: writeJsonl, csv: writeCsv, feather: writeFeatherRows };

/** Writes `rows` to `path` (its folder must exist) in `format`, atomically; returns the number of rows. */
export async function exportRows(rows: RowSource, path: string, format: ExportFormat): Promise<number> {
  const writer = WRITERS[format];
  if (!writer)
    throw new OptionsError(
      `export format '${format}' is unknown; expected one of ${EXPORT_FORMATS.join(', ')}`,
    );
  return withAtomicFile(path, (tmp) => writer(rows, tmp));
}
