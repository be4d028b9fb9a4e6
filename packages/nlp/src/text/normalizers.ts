/**
 * Normalizers, the first stage of a tokenizer pipeline (as in Hugging Face tokenizers and
 * transformers.js): each maps text to text. Chosen by name from `NORMALIZERS`.
 *
 *   new SequenceNormalizer([new NfkcNormalizer(), new LowercaseNormalizer(), new StripAccentsNormalizer()])
 *     .normalize('Ｃafé')  // 'cafe'
 */

/** One normalization step. */
export interface Normalizer {
  normalize(text: string): string;
}

/** Unicode NFKC: compatibility forms folded (full-width ASCII → ASCII, ligatures split). */
export class NfkcNormalizer implements Normalizer {
  normalize(text: string): string {
    return text.normalize('NFKC');
  }
}

/** Lowercases (Unicode-aware, locale-independent). */
export class LowercaseNormalizer implements Normalizer {
  normalize(text: string): string {
    return text.toLowerCase();
  }
}

const MARK = /\p{Mn}/gu;

/** Strips accents: NFD, then drops non-spacing marks (é → e), as BERT's `_run_strip_accents`. */
export class StripAccentsNormalizer implements Normalizer {
  normalize(text: string): string {
    return text.normalize('NFD').replace(MARK, '');
  }
}

/** True for the CJK Unified Ideograph blocks BERT pads with spaces (not kana or hangul). */
export function isCjkChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT's whitespace: space, \t, \n, \r and category Zs. */
export function isBertWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || /^\p{Zs}$/u.test(c);
}

/** BERT's control characters: category C* except \t \n \r. */
export function isBertControl(c: string): boolean {
  if (c === '\t' || c === '\n' || c === '\r') return false;
  return /^\p{C}$/u.test(c);
}

export interface BertNormalizerOptions {
  /** Drop control characters and U+FFFD, map whitespace to ' '. Default true. */
  cleanText?: boolean;
  /** Put spaces around CJK ideographs so each becomes a word. Default true. */
  handleChineseChars?: boolean;
  /** Strip accents. Default: same as lowercase (as BERT uncased). */
  stripAccents?: boolean;
  /** Lowercase. Default true. */
  lowercase?: boolean;
}

/** BERT's normalizer (HF `BertNormalizer`): clean text, pad CJK, lowercase, strip accents. */
export class BertNormalizer implements Normalizer {
  private readonly o: Required<BertNormalizerOptions>;
  constructor(options: BertNormalizerOptions = {}) {
    const lowercase = options.lowercase ?? true;
    this.o = {
      cleanText: options.cleanText ?? true,
      handleChineseChars: options.handleChineseChars ?? true,
      stripAccents: options.stripAccents ?? lowercase,
      lowercase,
    };
  }

  normalize(text: string): string {
    let out = '';
    for (const c of text) {
      const cp = c.codePointAt(0) ?? 0;
      if (this.o.cleanText) {
        if (cp === 0 || cp === 0xfffd || isBertControl(c)) continue;
        if (isBertWhitespace(c)) {
          out += ' ';
          continue;
        }
      }
      out += this.o.handleChineseChars && isCjkChar(cp) ? ` ${c} ` : c;
    }
    if (this.o.lowercase) out = out.toLowerCase();
    if (this.o.stripAccents) out = out.normalize('NFD').replace(MARK, '');
    return out;
  }
}

/** Applies normalizers in order. */
export class SequenceNormalizer implements Normalizer {
  constructor(readonly steps: readonly Normalizer[]) {}
  normalize(text: string): string {
    return this.steps.reduce<string>((t, n) => n.normalize(t), text);
  }
}

/** The registry of normalizers by name (for configs and CLIs). */
export const NORMALIZERS = {
  nfkc: () => new NfkcNormalizer(),
  lowercase: () => new LowercaseNormalizer(),
  stripAccents: () => new StripAccentsNormalizer(),
  bert: () => new BertNormalizer(),
} as const satisfies Record<string, () => Normalizer>;

export type NormalizerName = keyof typeof NORMALIZERS;

/** Options shared by the English and Chinese tokenizers. */
export interface NormalizeOptions {
  /** Unicode NFKC first (full-width → ASCII). Default false. */
  nfkc?: boolean;
  /** Lowercase. Default false. */
  lowercase?: boolean;
  /** Strip accents (é → e). Default false. */
  stripAccents?: boolean;
}

/** Builds the normalizer for `NormalizeOptions` (NFKC → lowercase → strip accents). */
export function normalizerFor(o: NormalizeOptions): Normalizer {
  const steps: Normalizer[] = [];
  if (o.nfkc) steps.push(new NfkcNormalizer());
  if (o.lowercase) steps.push(new LowercaseNormalizer());
  if (o.stripAccents) steps.push(new StripAccentsNormalizer());
  return new SequenceNormalizer(steps);
}
