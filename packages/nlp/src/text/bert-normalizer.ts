/**
 * BERT's normalizer as Hugging Face tokenizers' `BertNormalizer`: clean text (drop controls,
 * U+0000 and U+FFFD; whitespace → ' '), pad CJK ideographs with spaces, strip accents (NFD, drop
 * Mn), lowercase one character at a time (no final-sigma rule: ΟΔΟΣ → οδοσ). Printable ASCII
 * takes a fast path with the same output.
 *
 *   new BertNormalizer().normalize('Ｃafé\u200b 北京')  // 'ｃafe  北  京 '
 */
import { BERT_CJK_CLASS, BERT_CONTROL_CLASS, BERT_MARK_CLASS, BERT_WHITESPACE_CLASS } from './bert-chars.js';
import type { Normalizer } from './normalizers.js';

export interface BertNormalizerOptions {
  /** Drop control characters, U+0000 and U+FFFD, map whitespace to ' '. Default true. */
  cleanText?: boolean;
  /** Put spaces around CJK ideographs so each becomes a word. Default true. */
  handleChineseChars?: boolean;
  /** Strip accents. Default: same as lowercase (as BERT uncased). */
  stripAccents?: boolean;
  /** Lowercase. Default true. */
  lowercase?: boolean;
  /** Take the printable-ASCII fast path (same output; false forces the general path). Default true. */
  fastPaths?: boolean;
}

const CONTROL = new RegExp(`[${BERT_CONTROL_CLASS}]`, 'gu');
const WHITESPACE = new RegExp(`[${BERT_WHITESPACE_CLASS}]`, 'gu');
const CJK = new RegExp(`[${BERT_CJK_CLASS}]`, 'gu');
const MARK = new RegExp(`[${BERT_MARK_CLASS}]`, 'gu');
/** Anything outside printable ASCII, \t, \n, \r: such text takes the general path. */
const NOT_PLAIN_ASCII = /[^\x20-\x7e\t\n\r]/;
const HAS_TAB_NEWLINE = /[\t\n\r]/;
const TAB_NEWLINE = /[\t\n\r]/g;

/** Lowercase per character: JavaScript's only context-dependent mapping is the final sigma. */
export function lowercasePerChar(text: string): string {
  return (text.includes('Σ') ? text.replaceAll('Σ', 'σ') : text).toLowerCase();
}

export class BertNormalizer implements Normalizer {
  private readonly o: Required<BertNormalizerOptions>;

  constructor(options: BertNormalizerOptions = {}) {
    const lowercase = options.lowercase ?? true;
    this.o = {
      cleanText: options.cleanText ?? true,
      handleChineseChars: options.handleChineseChars ?? true,
      stripAccents: options.stripAccents ?? lowercase,
      lowercase,
      fastPaths: options.fastPaths ?? true,
    };
  }

  normalize(text: string): string {
    if (this.o.fastPaths && !NOT_PLAIN_ASCII.test(text)) return this.plainAscii(text);
    let out = text;
    if (this.o.cleanText) out = out.replace(CONTROL, '').replace(WHITESPACE, ' ');
    if (this.o.handleChineseChars) out = out.replace(CJK, ' $& ');
    if (this.o.stripAccents) out = out.normalize('NFD').replace(MARK, '');
    if (this.o.lowercase) out = lowercasePerChar(out);
    return out;
  }

  /** Printable ASCII, \t, \n, \r: no controls, CJK or accents; only whitespace and case change. */
  private plainAscii(text: string): string {
    const out = this.o.cleanText && HAS_TAB_NEWLINE.test(text) ? text.replace(TAB_NEWLINE, ' ') : text;
    return this.o.lowercase ? out.toLowerCase() : out;
  }
}
