/**
 * Pair files: `pairs-en-<lang>.<split>.tsv` (`pairs-synthetic-<task>.<split>.tsv` for the
 * synthetic tasks), UTF-8, a header line `src tgt src_tok tgt_tok package` and one pair a line,
 * tab-separated (cleaned text holds no tabs or newlines). `loadPairs` gives the `[src, tgt]`
 * arrays a seq2seq model trains on: the token columns by default, the cleaned text on request.
 *
 *   const train = loadPairs('runs/pairs', 'fr', 'train'); // [['go .', 'va !'], …]
 *   const [src, tgt] = train[0]; src.split(' ');
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputDir, checkInputFile, writeFileAtomicSync } from '@dlpipe/core';
import { CorpusError } from '../errors.js';
import type { PairRecord } from './dedup-pairs.js';
import type { Split } from './split.js';

export const TSV_COLUMNS = ['src', 'tgt', 'src_tok', 'tgt_tok', 'package'] as const;

/** The synthetic task names a pair file may hold besides languages. */
export const SYNTHETIC_TASKS = ['copy', 'reverse'] as const;
export type SyntheticTask = (typeof SYNTHETIC_TASKS)[number];

/** The file name of a split: `pairs-en-fr.train.tsv`, `pairs-synthetic-copy.val.tsv`. */
export function pairsFileName(lang: string, split: Split): string {
  const stem = (SYNTHETIC_TASKS as readonly string[]).includes(lang) ? `synthetic-${lang}` : `en-${lang}`;
  return `pairs-${stem}.${split}.tsv`;
}

/** The TSV text of some pairs (with its header line). */
export function formatPairsTsv(records: readonly PairRecord[]): string {
  const rows = records.map((r) => [r.src, r.tgt, r.srcTok, r.tgtTok, r.package].join('\t'));
  return `${[TSV_COLUMNS.join('\t'), ...rows].join('\n')}\n`;
}

/** Writes pairs to `path` atomically. */
export function writePairsTsv(path: string, records: readonly PairRecord[]): void {
  writeFileAtomicSync(path, formatPairsTsv(records));
}

/** Reads a pair file; a wrong header or a line without five columns is a CorpusError naming the line. */
export function readPairsTsv(path: string): PairRecord[] {
  checkInputFile(path, 'pair file');
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== TSV_COLUMNS.join('\t')) {
    throw new CorpusError(
      `${path}: line 1 is not the header '${TSV_COLUMNS.join('\\t')}'; this is not a pair file (write one with \`pnpm nlp pairs build\`).`,
    );
  }
  return lines.slice(1).map((line, i) => {
    const cols = line.split('\t');
    if (cols.length !== TSV_COLUMNS.length) {
      throw new CorpusError(
        `${path}, line ${i + 2}: ${cols.length} tab-separated columns, expected ${TSV_COLUMNS.length}.`,
      );
    }
    const [src, tgt, srcTok, tgtTok, pkg] = cols as [string, string, string, string, string];
    return { src, tgt, srcTok, tgtTok, package: pkg };
  });
}

export interface LoadPairsOptions {
  /** 'tokens' (space-separated token columns, for seq2seq) or 'raw' (cleaned text). Default 'tokens'. */
  columns?: 'tokens' | 'raw';
}

/** The `[src, tgt]` pairs of one split written by `pnpm nlp pairs build` (or `writePairsSplits`). */
export function loadPairs(
  dir: string,
  lang: string,
  split: Split,
  options: LoadPairsOptions = {},
): [string, string][] {
  checkInputDir(dir, 'pairs folder');
  const file = join(dir, pairsFileName(lang, split));
  if (!existsSync(file)) {
    throw new CorpusError(
      `${file}: no such pair file; build it with \`pnpm nlp pairs build --lang ${lang} --out ${dir}\`.`,
    );
  }
  const raw = options.columns === 'raw';
  return readPairsTsv(file).map((r) => (raw ? [r.src, r.tgt] : [r.srcTok, r.tgtTok]));
}

/** Writes the three splits into `dir`; returns the paths. */
export function writePairsSplits(
  dir: string,
  lang: string,
  splits: Record<Split, readonly PairRecord[]>,
): string[] {
  return (Object.keys(splits) as Split[]).map((split) => {
    const path = join(dir, pairsFileName(lang, split));
    writePairsTsv(path, splits[split]);
    return path;
  });
}
