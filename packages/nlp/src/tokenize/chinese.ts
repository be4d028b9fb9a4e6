/**
 * Chinese tokenization on `nodejieba`: precise mode (`cut`, with or without HMM for unknown
 * words), HMM-only, full and search modes, POS tags, user dictionaries and keyword extraction.
 * Mixed Chinese/English text keeps English words, numbers and URLs whole; whitespace is dropped.
 *
 *   const zh = new ChineseTokenizer({ mode: 'precise', userWords: ['蓝翔优秀毕业生'] });
 *   zh.tokenize('我来到北京清华大学，学习Deep Learning'); // ['我','来到','北京','清华大学','，','学习','Deep','Learning']
 */

import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Jieba from 'nodejieba';
import { z } from 'zod';
import { TokenizerError } from '../errors.js';
import { checkText } from '../text/check-text.js';
import { type NormalizeOptions, type Normalizer, normalizerFor } from '../text/normalizers.js';

export const CHINESE_MODES = ['precise', 'hmm', 'full', 'search'] as const;
export type ChineseMode = (typeof CHINESE_MODES)[number];

export interface ChineseTokenizerOptions extends NormalizeOptions {
  /** jieba mode: precise (`cut`), hmm (`cutHMM`), full (`cutAll`), search (`cutForSearch`). Default 'precise'. */
  mode?: ChineseMode;
  /** Use the HMM for words not in the dictionary (precise and search modes). Default true, as jieba. */
  hmm?: boolean;
  /** A user dictionary file (one `word [freq] [tag]` a line), loaded once per process. Default none. */
  userDict?: string;
  /** Extra words added to the dictionary. Default none. */
  userWords?: readonly string[];
  /** Keep whitespace tokens. Default false. */
  keepWhitespace?: boolean;
}

export const chineseTokenizerSchema = z.object({
  mode: z.enum(CHINESE_MODES).optional(),
  hmm: z.boolean().optional(),
  userDict: z.string().optional(),
  userWords: z.array(z.string()).optional(),
  keepWhitespace: z.boolean().optional(),
  nfkc: z.boolean().optional(),
  lowercase: z.boolean().optional(),
  stripAccents: z.boolean().optional(),
});

/** A word with its part-of-speech tag (jieba's ICTCLAS-style tags: n, v, ns, eng, x …). */
export interface TaggedWord {
  word: string;
  tag: string;
}

/** A keyword with its TF-IDF weight. */
export interface Keyword {
  word: string;
  weight: number;
}

let jieba: typeof Jieba | undefined;
let loadedUserDict: string | undefined;

/** nodejieba, loaded once (its dictionaries load on first use). */
/** A user dictionary must be a UTF-8 text file: nodejieba skips what it cannot read, silently. */
function checkUserDict(path: string): void {
  const expected = "expected a UTF-8 file of 'word [freq] [tag]' lines";
  if (!existsSync(path)) throw new TokenizerError(`user dictionary ${path} not found; ${expected}.`);
  if (statSync(path).isDirectory())
    throw new TokenizerError(`user dictionary ${path} is a folder; ${expected}.`);
  const bytes = readFileSync(path);
  if (!isUtf8(bytes) || bytes.includes(0)) {
    throw new TokenizerError(
      `user dictionary ${path} is not UTF-8 text (binary or another encoding); ${expected}.`,
    );
  }
}

export function loadJieba(userDict?: string): typeof Jieba {
  if (!jieba) {
    try {
      jieba = createRequire(import.meta.url)('nodejieba') as typeof Jieba;
    } catch (cause) {
      throw new TokenizerError(
        'nodejieba cannot load (its native binding is built at install time). Run ' +
          '`npm_config_yes=true pnpm rebuild nodejieba` (needs g++ and python3).',
        { cause },
      );
    }
  }
  if (userDict !== undefined && userDict !== loadedUserDict) {
    checkUserDict(userDict);
    if (loadedUserDict !== undefined) {
      throw new TokenizerError(
        `nodejieba already loaded user dictionary ${loadedUserDict}; it holds one per process, so ${userDict} cannot be added. ` +
          'Merge the dictionaries into one file or pass extra words as userWords.',
      );
    }
    jieba.load({ userDict });
    loadedUserDict = userDict;
  }
  return jieba;
}

const ASCII_WORD = /^[A-Za-z0-9_]$/;

/** Joins runs of single ASCII letters/digits (jieba without HMM cuts "Deep" into D,e,e,p). */
function mergeAscii(tokens: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const t of tokens) {
    if (ASCII_WORD.test(t)) {
      run += t;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(t);
  }
  if (run) out.push(run);
  return out;
}

const SPACE = /\s/;

/** Drops blank tokens; jieba's tokens are pieces of `text`, so text without whitespace has none. */
function dropBlank(tokens: string[], text: string): string[] {
  if (!SPACE.test(text) && !tokens.includes('')) return tokens;
  return tokens.filter((t) => t.trim() !== '');
}

/** Chinese (and mixed zh/en) tokenizer on jieba. */
export class ChineseTokenizer {
  readonly mode: ChineseMode;
  private readonly hmm: boolean;
  private readonly keepWhitespace: boolean;
  private readonly normalizer: Normalizer;
  private readonly jieba: typeof Jieba;

  constructor(options: ChineseTokenizerOptions = {}) {
    this.mode = options.mode ?? 'precise';
    if (!CHINESE_MODES.includes(this.mode)) {
      throw new TokenizerError(
        `unknown jieba mode '${this.mode}'; expected one of ${CHINESE_MODES.join(', ')}.`,
      );
    }
    this.hmm = options.hmm ?? true;
    this.keepWhitespace = options.keepWhitespace ?? false;
    this.normalizer = normalizerFor(options);
    this.jieba = loadJieba(options.userDict);
    for (const w of options.userWords ?? []) this.jieba.insertWord(w);
  }

  /** Tokens of `text` in the configured mode. */
  tokenize(text: string): string[] {
    checkText(text);
    const s = this.normalizer.normalize(text);
    if (s === '') return [];
    let tokens: string[];
    switch (this.mode) {
      case 'precise':
        tokens = this.hmm ? this.jieba.cut(s, true) : mergeAscii(this.jieba.cut(s, false));
        break;
      case 'hmm':
        tokens = this.jieba.cutHMM(s);
        break;
      case 'full':
        tokens = mergeAscii(this.jieba.cutAll(s));
        break;
      case 'search':
        tokens = this.jieba.cutForSearch(s, this.hmm);
        break;
    }
    return this.keepWhitespace ? tokens : dropBlank(tokens, s);
  }

  /** Words with part-of-speech tags (whitespace dropped unless keepWhitespace). */
  tag(text: string): TaggedWord[] {
    checkText(text);
    const tagged = this.jieba.tag(this.normalizer.normalize(text));
    return this.keepWhitespace ? tagged : tagged.filter((t) => t.word.trim() !== '');
  }

  /** The top `k` keywords by TF-IDF (jieba's `extract`), or by TextRank. */
  keywords(text: string, k = 5, method: 'tfidf' | 'textrank' = 'tfidf'): Keyword[] {
    checkText(text);
    if (!(Number.isInteger(k) && k > 0))
      throw new TokenizerError(`keywords: k must be a positive integer, got ${k}.`);
    const s = this.normalizer.normalize(text);
    return method === 'tfidf' ? this.jieba.extract(s, k) : this.jieba.textRankExtract(s, k);
  }

  /** Adds a word to the dictionary for this process. */
  addWord(word: string, tag?: string): void {
    if (word.trim() === '') throw new TokenizerError('addWord: the word is empty.');
    this.jieba.insertWord(word, tag);
  }
}
