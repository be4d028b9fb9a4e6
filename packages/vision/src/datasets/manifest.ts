/**
 * Manifests: a CSV (`path,label` header) or JSONL file listing images and their labels, and the
 * scraper's image manifest (JSONL `{path, sourceUrl, alt, pageUrl}`), whose label is the image's
 * parent folder unless a `label` field is present. Relative paths resolve against the manifest's folder.
 *
 *   const set = readManifest('data/cats/images.jsonl');  // { classNames, samples }
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { formatIssues, issuePath } from '@dlpipe/core';
import { z } from 'zod';
import { DatasetError } from '../errors.js';
import type { ImageSample, ImageSet } from './types.js';

export interface ManifestOptions {
  /** Fix the class order (e.g. the training set's). Default: sorted distinct labels. */
  classNames?: string[];
  /** Folder that relative paths resolve against. Default: the manifest's folder. */
  root?: string;
  /** Without a label field: 'parent-dir' (the scraper's layout) or 'none' (label -1). Default 'parent-dir'. */
  missingLabel?: 'parent-dir' | 'none';
}

const recordSchema = z.object({
  path: z.string().min(1),
  label: z.union([z.string(), z.number()]).optional(),
  sourceUrl: z.string().optional(),
  alt: z.string().optional(),
  pageUrl: z.string().optional(),
});
type ManifestRecord = z.output<typeof recordSchema>;

/** Splits one CSV line (quotes with "" escapes). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parseLines(file: string, text: string): Array<{ line: number; value: unknown }> {
  const lines = text.split(/\r?\n/);
  const isCsv = extname(file).toLowerCase() === '.csv';
  if (!isCsv) {
    return lines.flatMap((l, i) => {
      if (l.trim() === '') return [];
      try {
        return [{ line: i + 1, value: JSON.parse(l) as unknown }];
      } catch (err) {
        throw new DatasetError(
          `${file}:${i + 1}`,
          `not valid JSON (${(err as Error).message}); expected one object per line`,
        );
      }
    });
  }
  const header = csvFields(lines[0] ?? '').map((h) => h.trim());
  if (!header.includes('path')) {
    throw new DatasetError(
      `${file}:1`,
      `CSV header [${header}] has no 'path' column; expected e.g. 'path,label'`,
    );
  }
  return lines.slice(1).flatMap((l, i) => {
    if (l.trim() === '') return [];
    const f = csvFields(l);
    return [{ line: i + 2, value: Object.fromEntries(header.map((h, j) => [h, f[j] ?? ''])) }];
  });
}

function labelOf(r: ManifestRecord, o: ManifestOptions): string | undefined {
  if (r.label !== undefined && r.label !== '') return String(r.label);
  return o.missingLabel === 'none' ? undefined : basename(dirname(r.path));
}

/** Reads a CSV or JSONL manifest (one record per line) into an image set. */
export function readManifest(file: string, options: ManifestOptions = {}): ImageSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError(file, `cannot read the manifest: ${(err as Error).message}`, { cause: err });
  }
  const root = options.root ?? dirname(file);
  const records = parseLines(file, text).map(({ line, value }) => {
    const r = recordSchema.safeParse(value);
    if (!r.success) {
      const what = formatIssues(r.error, (path) => issuePath(path).replace('(root)', 'record')).join('; ');
      throw new DatasetError(
        `${file}:${line}`,
        `${what}; expected {path, label?} or {path, sourceUrl, alt, pageUrl}`,
      );
    }
    return { line, r: r.data };
  });
  if (records.length === 0) throw new DatasetError(file, 'the manifest lists no images');
  const labels = records.map(({ r }) => labelOf(r, options));
  const classNames = options.classNames ?? [...new Set(labels.filter((l) => l !== undefined))].sort();
  const samples: ImageSample[] = records.map(({ line, r }, i) => {
    const name = labels[i];
    const label = name === undefined ? -1 : classNames.indexOf(name);
    if (name !== undefined && label < 0) {
      throw new DatasetError(`${file}:${line}`, `label '${name}' is not one of the classes [${classNames}]`);
    }
    return { path: resolve(root, r.path), label, ...(r.sourceUrl ? { sourceUrl: r.sourceUrl } : {}) };
  });
  return { source: file, classNames, samples };
}
