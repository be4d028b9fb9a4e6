/**
 * Pre-tokenizers, the second pipeline stage: split normalized text into words. `BertPreTokenizer`
 * is BERT's basic tokenizer split (whitespace, then every punctuation character on its own).
 *
 *   new BertPreTokenizer().preTokenize("hello, world!") // ['hello', ',', 'world', '!']
 */
import { BERT_PUNCTUATION_CLASS, BERT_WHITESPACE_CLASS } from '../text/bert-chars.js';

export interface PreTokenizer {
  preTokenize(text: string): string[];
}

/** A punctuation character, or a run of characters that are neither whitespace nor punctuation. */
const BERT_WORDS = new RegExp(
  `[${BERT_PUNCTUATION_CLASS}]|[^${BERT_WHITESPACE_CLASS}${BERT_PUNCTUATION_CLASS}]+`,
  'gu',
);
/** The same split for ASCII text (no Unicode classes to consult). */
const ASCII_WORDS = /[!-/:-@[-`{-~]|[^\t-\r !-/:-@[-`{-~]+/g;
const NON_ASCII = /[\u0080-\uffff]/;

export interface BertPreTokenizerOptions {
  /** Take the ASCII fast path (same output; false forces the general path). Default true. */
  fastPaths?: boolean;
}

/** Splits on whitespace (removed) and isolates each punctuation character, as HF's BertPreTokenizer. */
export class BertPreTokenizer implements PreTokenizer {
  private readonly fastPaths: boolean;
  constructor(options: BertPreTokenizerOptions = {}) {
    this.fastPaths = options.fastPaths ?? true;
  }

  preTokenize(text: string): string[] {
    const re = this.fastPaths && !NON_ASCII.test(text) ? ASCII_WORDS : BERT_WORDS;
    return text.match(re) ?? [];
  }
}

/** Splits on whitespace only. */
export class WhitespacePreTokenizer implements PreTokenizer {
  preTokenize(text: string): string[] {
    return text.split(/\s+/u).filter((w) => w !== '');
  }
}

export const PRE_TOKENIZERS = {
  bert: () => new BertPreTokenizer(),
  whitespace: () => new WhitespacePreTokenizer(),
} as const satisfies Record<string, () => PreTokenizer>;
