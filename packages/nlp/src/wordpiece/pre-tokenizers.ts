/**
 * Pre-tokenizers, the second pipeline stage: split normalized text into words. `BertPreTokenizer`
 * is BERT's basic tokenizer split (whitespace, then every punctuation character on its own).
 *
 *   new BertPreTokenizer().preTokenize("hello, world!") // ['hello', ',', 'world', '!']
 */
import { isBertWhitespace } from '../text/normalizers.js';

export interface PreTokenizer {
  preTokenize(text: string): string[];
}

/** BERT's punctuation: ASCII 33–47, 58–64, 91–96, 123–126 and Unicode category P*. */
export function isBertPunctuation(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  if (
    (cp >= 33 && cp <= 47) ||
    (cp >= 58 && cp <= 64) ||
    (cp >= 91 && cp <= 96) ||
    (cp >= 123 && cp <= 126)
  ) {
    return true;
  }
  return /^\p{P}$/u.test(c);
}

/** Splits on whitespace and isolates each punctuation character. */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(text: string): string[] {
    const words: string[] = [];
    let cur = '';
    for (const c of text) {
      if (isBertWhitespace(c)) {
        if (cur) words.push(cur);
        cur = '';
      } else if (isBertPunctuation(c)) {
        if (cur) words.push(cur);
        words.push(c);
        cur = '';
      } else {
        cur += c;
      }
    }
    if (cur) words.push(cur);
    return words;
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
