/**
 * The sentence pairs a seq2seq model trains and is scored on: en–fr or en–zh from the pair files
 * `pnpm nlp pairs build` writes (built into `pairsDir` on first use), any folder of such files,
 * or the synthetic copy/reverse task; the target language decides how outputs are detokenized
 * and which sacreBLEU tokenizer scores them. Parallel text files (one sentence a line) are read
 * for custom test sets.
 *
 *   const p = loadSeq2SeqPairs({ pairs: 'en-fr' });      // runs/pairs/pairs-en-fr.*.tsv
 *   p.train[0];                                           // ['from <arg>', 'de <arg>']
 *   detokenize(['bonjour', ',', 'le', 'monde', '!'], 'fr'); // 'bonjour, le monde!'
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputDir, checkInputFile } from '@dlpipe/core';
import type { BleuTokenizerName } from '../bleu/tokenizers.js';
import { CorpusError } from '../errors.js';
import { buildPairs, writePairsBuild } from '../pairs/build-pairs.js';
import { readPairsTsv, SYNTHETIC_TASKS, type SyntheticTask } from '../pairs/pairs-tsv.js';
import type { Split } from '../pairs/split.js';
import { syntheticSplits } from '../pairs/synthetic.js';
import type { TokenPair } from './seq2seq-data.js';

/** The named pair sets; anything else given as `pairs` is a folder of pair files. */
export const NAMED_PAIRS = ['en-fr', 'en-zh', 'copy', 'reverse'] as const;

export interface Seq2SeqPairs {
  /** Target language ('fr', 'zh', …) or synthetic task ('copy', 'reverse'). */
  lang: string;
  train: TokenPair[];
  val: TokenPair[];
  test: TokenPair[];
  /** Where they came from (a folder, or 'synthetic'). */
  source: string;
}

export interface SyntheticSetOptions {
  /** Pairs before the split. Default 2000. */
  numPairs?: number;
  /** Distinct tokens. Default 10. */
  vocabSize?: number;
  /** Default 2. */
  minLen?: number;
  /** Default 8. */
  maxLen?: number;
  /** Default 0. */
  seed?: number;
}

export interface LoadSeq2SeqPairsOptions {
  /** 'en-fr', 'en-zh', 'copy', 'reverse', or a folder holding one set of pair files. */
  pairs: string;
  /** Where en-fr/en-zh pair files are (and are built if missing). Default 'runs/pairs'. */
  pairsDir?: string;
  /** The synthetic task's size. */
  synthetic?: SyntheticSetOptions;
}

const FILE = /^pairs-(?:en-([\w]+)|synthetic-(copy|reverse))\.train\.tsv$/;

/** The language of the one set of pair files in `dir`. */
function langInDir(dir: string): string {
  checkInputDir(dir, 'pairs folder (--pairs)');
  const langs = readdirSync(dir)
    .map((f) => FILE.exec(f))
    .filter((m) => m !== null)
    .map((m) => (m[1] ?? m[2]) as string);
  if (langs.length === 0) {
    throw new CorpusError(
      `${dir}: no pairs-en-<lang>.train.tsv in this folder; write one with \`pnpm nlp pairs build --out ${dir}\`, or give --pairs en-fr|en-zh|copy|reverse.`,
    );
  }
  if (langs.length > 1) {
    throw new CorpusError(
      `${dir}: holds pairs of several languages (${langs.join(', ')}); give --pairs en-<lang> with the pairs folder option, or a folder with one set.`,
    );
  }
  return langs[0] as string;
}

function fileOf(dir: string, lang: string, split: Split): string {
  const stem = (SYNTHETIC_TASKS as readonly string[]).includes(lang) ? `synthetic-${lang}` : `en-${lang}`;
  return join(dir, `pairs-${stem}.${split}.tsv`);
}

/** One split's token pairs; a missing val/test file is an empty split, an empty train file an error. */
function readSplit(dir: string, lang: string, split: Split): TokenPair[] {
  const file = fileOf(dir, lang, split);
  if (split !== 'train' && !existsSync(file)) return [];
  const pairs = readPairsTsv(file).map((r): TokenPair => [r.srcTok, r.tgtTok]);
  if (split === 'train' && pairs.length === 0) {
    throw new CorpusError(
      `${file}: holds no pairs (only the header); rebuild it with \`pnpm nlp pairs build\`.`,
    );
  }
  return pairs;
}

function synthetic(task: SyntheticTask, o: SyntheticSetOptions = {}): Seq2SeqPairs {
  const splits = syntheticSplits({ task, numPairs: 2000, ...o });
  const tok = (s: Split) => splits[s].map((r): TokenPair => [r.srcTok, r.tgtTok]);
  return { lang: task, train: tok('train'), val: tok('val'), test: tok('test'), source: 'synthetic' };
}

/** Checks `pairs` before any work: a named set, or a folder holding one set of pair files. */
export function checkPairsSpec(pairs: string): void {
  if (!(NAMED_PAIRS as readonly string[]).includes(pairs)) langInDir(pairs);
}

/** The pairs `options.pairs` names (see the file header); en-fr/en-zh are built when missing. */
export function loadSeq2SeqPairs(options: LoadSeq2SeqPairsOptions): Seq2SeqPairs {
  const spec = options.pairs;
  if (spec === 'copy' || spec === 'reverse') return synthetic(spec, options.synthetic);
  let dir = spec;
  let lang: string;
  if (spec === 'en-fr' || spec === 'en-zh') {
    dir = options.pairsDir ?? 'runs/pairs';
    lang = spec.slice(3);
    if (!existsSync(fileOf(dir, lang, 'train'))) {
      process.stderr.write(`building the ${spec} pairs into ${dir} (pnpm nlp pairs build --lang ${lang})\n`);
      writePairsBuild(buildPairs({ lang: lang as 'fr' | 'zh' }), dir);
    }
  } else lang = langInDir(dir);
  const split = (s: Split) => readSplit(dir, lang, s);
  return { lang, train: split('train'), val: split('val'), test: split('test'), source: dir };
}

/** Output tokens as text: French/English without d2l's space before `, . ! ?`; Chinese unspaced. */
export function detokenize(tokens: readonly string[], lang: string): string {
  if (lang.startsWith('zh')) {
    const word = /[\p{Script=Latin}\d<>_]$/u;
    return tokens.reduce(
      (s, t) => (s !== '' && word.test(s) && /^[\p{Script=Latin}\d<]/u.test(t) ? `${s} ${t}` : s + t),
      '',
    );
  }
  const s = tokens.join(' ');
  return lang === 'copy' || lang === 'reverse' ? s : s.replace(/ ([,.!?])/g, '$1');
}

/** sacreBLEU's tokenizer for a target language: 'zh' for Chinese, '13a' otherwise. */
export function bleuTokenizerFor(lang: string): BleuTokenizerName {
  return lang.startsWith('zh') ? 'zh' : '13a';
}

/** Lines of a UTF-8 text file (a final newline does not make an empty last line). */
function readLines(path: string, what: string): string[] {
  checkInputFile(path, what);
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '')
    throw new CorpusError(`${path}: the ${what} is empty; expected one sentence a line.`);
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Source and reference lines of a custom test set; line counts must match. */
export function readParallelText(srcPath: string, refPath: string): { src: string[]; ref: string[] } {
  const src = readLines(srcPath, 'source file');
  const ref = readLines(refPath, 'reference file');
  if (src.length !== ref.length) {
    throw new CorpusError(
      `${srcPath} has ${src.length} lines but ${refPath} has ${ref.length}; a test set needs one reference line per source line.`,
    );
  }
  return { src, ref };
}
