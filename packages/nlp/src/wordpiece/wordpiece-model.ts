/**
 * WordPiece (the model stage for BERT): greedy longest-match-first over the vocabulary, word
 * continuations prefixed `##`, words longer than `maxInputCharsPerWord` or with no match → [UNK].
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
}

export class WordPieceModel {
  readonly vocab: readonly string[];
  readonly unkToken: string;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly ids = new Map<string, number>();

  constructor(options: WordPieceModelOptions) {
    this.vocab = options.vocab;
    this.unkToken = options.unkToken ?? '[UNK]';
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
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

  /** WordPiece tokens of one pre-tokenized word. */
  tokenizeWord(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > this.maxInputCharsPerWord) return [this.unkToken];
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let match: string | undefined;
      while (start < end) {
        const piece = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
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
    return words.flatMap((w) => this.tokenizeWord(w));
  }
}
