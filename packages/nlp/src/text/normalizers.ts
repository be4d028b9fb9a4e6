/**
 * Normalizers, the first stage of a tokenizer pipeline (as in Hugging Face tokenizers and
 * transformers.js): each maps text to text. Chosen by name from `NORMALIZERS`.
 *
 *   new SequenceNormalizer([new NfkcNormalizer(), new LowercaseNormalizer(), new StripAccentsNormalizer()])
 *     .normalize('Ｃafé')  // 'cafe'
 */
import { BertNormalizer } from './bert-normalizer.js';

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

/** Applies normalizers in order. */
export class SequenceNormalizer implements Normalizer {
  constructor(readonly steps: readonly Normalizer[]) {}
  normalize(text: string): string {
    let out = text;
    for (const step of this.steps) out = step.normalize(out);
    return out;
  }
}

/** Returns the text unchanged (no normalization option set). */
export class IdentityNormalizer implements Normalizer {
  normalize(text: string): string {
    return text;
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
  if (steps.length === 0) return new IdentityNormalizer();
  return steps.length === 1 ? steps[0]! : new SequenceNormalizer(steps);
}
