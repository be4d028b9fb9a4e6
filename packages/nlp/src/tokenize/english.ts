/**
 * English tokenization on `natural`: word, Treebank, word-punct and regexp tokenizers, character
 * tokens, optional Porter stemming and normalization (NFKC, lowercase, accent stripping). URLs,
 * e-mail addresses, emoji and words with non-ASCII letters are kept whole (natural's own regexps
 * would cut them into pieces or lone surrogates).
 *
 *   const tok = new EnglishTokenizer({ kind: 'treebank', lowercase: true });
 *   tok.tokenize("Don't go to https://d2l.ai 😀"); // ['do', "n't", 'go', 'to', 'https://d2l.ai', '😀']
 */

import { loadNatural } from '@dlpipe/data';
import { z } from 'zod';
import { TokenizerError } from '../errors.js';
import { checkText } from '../text/check-text.js';
import { type NormalizeOptions, type Normalizer, normalizerFor } from '../text/normalizers.js';

export const ENGLISH_KINDS = ['word', 'treebank', 'wordpunct', 'regexp', 'whitespace', 'char'] as const;
export type EnglishKind = (typeof ENGLISH_KINDS)[number];

export interface EnglishTokenizerOptions extends NormalizeOptions {
  /** Which tokenizer. Default 'treebank'. */
  kind?: EnglishKind;
  /** For kind 'regexp': the pattern (a RegExp or its source). Default /\W+/ (split on non-word chars). */
  pattern?: RegExp | string;
  /** For kind 'regexp': true if the pattern matches separators (gaps), false if it matches tokens. Default true. */
  gaps?: boolean;
  /** Porter-stem each token (natural's PorterStemmer). Default false. */
  stem?: boolean;
  /** Keep URLs, e-mails, emoji and non-ASCII words whole. Default true. */
  keepSpecial?: boolean;
  /** Skip the special-span search on text that cannot hold one (same output; false always searches). Default true. */
  fastPaths?: boolean;
}

export const englishTokenizerSchema = z.object({
  kind: z.enum(ENGLISH_KINDS).optional(),
  pattern: z.string().optional(),
  gaps: z.boolean().optional(),
  stem: z.boolean().optional(),
  keepSpecial: z.boolean().optional(),
  fastPaths: z.boolean().optional(),
  nfkc: z.boolean().optional(),
  lowercase: z.boolean().optional(),
  stripAccents: z.boolean().optional(),
});

/** URLs, e-mails, emoji (with modifiers/ZWJ sequences) and words holding non-ASCII letters. */
const SPECIAL =
  /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'}]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\p{Extended_Pictographic}(?:\p{EMod}|\uFE0F|\u200D\p{Extended_Pictographic})*|[\p{L}\p{M}\p{N}]*[^\p{ASCII}\p{P}\p{S}\p{Z}\p{C}][\p{L}\p{M}\p{N}]*/gu;

/** A non-ASCII character, or a URL/e-mail marker ('://' or 'www.' in every URL, '@' in every e-mail). */
const CANDIDATE = /[\u0080-\uffff]|:\/\/|www\.|@/g;
/** At a non-ASCII position: a letter, mark or digit (a word SPECIAL keeps) or an emoji. */
const SPECIAL_CHAR = /[^\p{P}\p{S}\p{Z}\p{C}]|\p{Extended_Pictographic}/uy;

/**
 * False when `text` holds no SPECIAL span: every span holds a URL/e-mail marker, an emoji or a
 * non-ASCII letter/mark/digit, so ASCII text, or text whose only non-ASCII characters are
 * punctuation (— ’ “), spaces or symbols, is checked in one pass without running SPECIAL.
 */
export function mayHoldSpecialSpan(text: string): boolean {
  CANDIDATE.lastIndex = 0;
  while (CANDIDATE.test(text)) {
    const at = CANDIDATE.lastIndex - 1; // the match's last code unit: '/' or '.' of a marker, '@', or the character
    const c = text.charCodeAt(at);
    if (c < 0x80) return true;
    SPECIAL_CHAR.lastIndex = at;
    if (SPECIAL_CHAR.test(text)) return true;
    if (c >= 0xd800 && c <= 0xdbff) CANDIDATE.lastIndex++; // past the low surrogate
  }
  return false;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface Splitter {
  tokenize(text: string): string[];
}

/** Natural's tokenizers (and two plain ones) behind one interface. */
function makeSplitter(o: EnglishTokenizerOptions): Splitter {
  const natural = loadNatural();
  switch (o.kind ?? 'treebank') {
    case 'word':
      return new natural.RegexpTokenizer({ pattern: /[^\p{L}\p{M}\p{N}_]+/u });
    case 'treebank':
      return new natural.TreebankWordTokenizer();
    case 'wordpunct':
      return new natural.WordPunctTokenizer();
    case 'whitespace':
      return new natural.RegexpTokenizer({ pattern: /\s+/ });
    case 'regexp': {
      let pattern: RegExp;
      try {
        pattern = o.pattern instanceof RegExp ? o.pattern : new RegExp(o.pattern ?? '\\W+', 'u');
      } catch (cause) {
        throw new TokenizerError(
          `regexp tokenizer: invalid pattern ${JSON.stringify(o.pattern)}; give a valid JavaScript regular expression.`,
          { cause },
        );
      }
      return new natural.RegexpTokenizer({ pattern, gaps: o.gaps ?? true });
    }
    case 'char':
      return { tokenize: (t: string) => Array.from(GRAPHEMES.segment(t), (s) => s.segment) };
  }
}

/** English tokenizer: normalize → (protect specials) → natural tokenizer → optional stemming. */
export class EnglishTokenizer {
  readonly kind: EnglishKind;
  private readonly splitter: Splitter;
  private readonly normalizer: Normalizer;
  private readonly keepSpecial: boolean;
  private readonly fastPaths: boolean;
  private readonly stem: ((t: string) => string) | undefined;

  constructor(options: EnglishTokenizerOptions = {}) {
    this.kind = options.kind ?? 'treebank';
    if (!ENGLISH_KINDS.includes(this.kind)) {
      throw new TokenizerError(
        `unknown English tokenizer kind '${this.kind}'; expected one of ${ENGLISH_KINDS.join(', ')}.`,
      );
    }
    this.splitter = makeSplitter(options);
    this.normalizer = normalizerFor(options);
    this.keepSpecial = (options.keepSpecial ?? true) && this.kind !== 'char';
    this.fastPaths = options.fastPaths ?? true;
    if (options.stem) {
      const porter = loadNatural().PorterStemmer;
      this.stem = (t) => porter.stem(t);
    }
  }

  /** Normalized text (the pipeline's first stage). */
  normalize(text: string): string {
    return this.normalizer.normalize(text);
  }

  /** Tokens of `text`; throws TextInputError for lone surrogates or over-long lines. */
  tokenize(text: string): string[] {
    checkText(text);
    const norm = this.normalizer.normalize(text);
    const tokens = this.keepSpecial ? this.splitProtected(norm) : this.splitPlain(norm);
    return this.stem ? tokens.map(this.stem) : tokens;
  }

  private splitPlain(text: string): string[] {
    const tokens = this.splitter.tokenize(text);
    return tokens.includes('') ? tokens.filter((t) => t !== '') : tokens;
  }

  /** Runs natural between special spans; a text with none goes to natural in one call. */
  private splitProtected(text: string): string[] {
    if (this.fastPaths && !mayHoldSpecialSpan(text)) return this.splitPlain(text);
    SPECIAL.lastIndex = 0;
    let m = SPECIAL.exec(text);
    if (!m) return this.splitPlain(text);
    const out: string[] = [];
    let last = 0;
    while (m) {
      if (m[0] === '') {
        SPECIAL.lastIndex++;
      } else {
        if (m.index > last) out.push(...this.splitPlain(text.slice(last, m.index)));
        out.push(m[0]);
        last = m.index + m[0].length;
      }
      m = SPECIAL.exec(text);
    }
    if (last < text.length) out.push(...this.splitPlain(text.slice(last)));
    return out;
  }
}

/** Porter stem of one word (natural's PorterStemmer). */
export function porterStem(word: string): string {
  return loadNatural().PorterStemmer.stem(word);
}
