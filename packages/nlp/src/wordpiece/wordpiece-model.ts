/**
 * WordPiece (the model stage for BERT): greedy longest-match-first over the vocabulary, word
 * continuations prefixed `##`, words longer than `maxInputCharsPerWord` or with no match → [UNK].
 * Words are cached (10,000 by default, as HF tokenizers): text repeats most of its words.
 *
 *   const wp = new WordPieceModel({ vocab: ['[UNK]', 'straw', '##berries'] });
 *   wp.tokenizeWord('strawberries') // ['straw', '##berries']
 */
import { TokenizerError } from '../errors.js';

export interface WordPieceModelOptions {
  /** Tokens in id order (a vocab.txt's lines). */
  vocab: readonly string[];
  /** The unknown token; must be in the vocab. Default '[UNK]'. */
  unkToken?: string;
  /** Prefix of word continuations. Default '##'. */
  continuingSubwordPrefix?: string;
  /** Longer words become [UNK]. Default 100 (as BERT). */
  maxInputCharsPerWord?: number;
  /** Words whose pieces are remembered (as HF tokenizers' word cache); 0 turns it off. Default 10,000. */
  cacheCapacity?: number;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** UTF-16 offsets of each code point's start, plus the end: [0, 2, 3] for '😀a'. */
function codePointOffsets(word: string): number[] {
  const out = [0];
  let i = 0;
  for (const c of word) {
    i += c.length;
    out.push(i);
  }
  return out;
}

export class WordPieceModel {
  readonly vocab: readonly string[];
  readonly unkToken: string;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, readonly string[]>();
  private readonly cacheCapacity: number;

  constructor(options: WordPieceModelOptions) {
    this.vocab = options.vocab;
    this.unkToken = options.unkToken ?? '[UNK]';
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.cacheCapacity = options.cacheCapacity ?? 10_000;
    options.vocab.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
    if (!this.ids.has(this.unkToken)) {
      throw new TokenizerError(
        `WordPiece vocab (${options.vocab.length} tokens) has no unknown token '${this.unkToken}'; add it or set unkToken.`,
      );
    }
  }

  /** Id of a token, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Token of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  /** WordPiece tokens of one pre-tokenized word (cached arrays are frozen: copy one to change it). */
  tokenizeWord(word: string): readonly string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const pieces = this.greedy(word);
    if (this.cache.size < this.cacheCapacity) this.cache.set(word, Object.freeze(pieces));
    return pieces;
  }

  /** Greedy longest-match-first over code points (a word without surrogates slices directly). */
  private greedy(word: string): readonly string[] {
    const at = SURROGATE.test(word) ? codePointOffsets(word) : undefined;
    const n = at ? at.length - 1 : word.length;
    if (n > this.maxInputCharsPerWord) return [this.unkToken];
    const out: string[] = [];
    let start = 0;
    while (start < n) {
      let end = n;
      let match: string | undefined;
      while (start < end) {
        const sub = at ? word.slice(at[start], at[end]) : word.slice(start, end);
        const piece = start > 0 ? this.prefix + sub : sub;
        if (this.ids.has(piece)) {
          match = piece;
          break;
        }
        end--;
      }
      if (match === undefined) return [this.unkToken];
      out.push(match);
      start = end;
    }
    return out;
  }

  /** WordPiece tokens of many words. */
  tokenize(words: readonly string[]): string[] {
    const out: string[] = [];
    for (const w of words) {
      const pieces = this.tokenizeWord(w);
      for (let i = 0; i < pieces.length; i++) out.push(pieces[i]!);
    }
    return out;
  }
}
