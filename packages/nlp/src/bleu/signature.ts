/**
 * sacreBLEU 2.6.0's strings for a BLEU score: the score line of `str(score)` and the
 * reproducibility signature of `bleu.get_signature()`.
 *
 *   formatBleuScore(score);  // 'BLEU = 34.21 67.4/42.1/28.3/19.0 (BP = 0.962 ratio = 0.963 hyp_len = 26 ref_len = 27)'
 *   bleuSignature(resolveBleuOptions(), 1);  // 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0'
 */
import type { ResolvedBleuOptions } from './bleu-options.js';
import { BLEU_SMOOTH_DEFAULTS } from './bleu-options.js';
import type { BleuScore } from './compute-bleu.js';
import { pyFixed } from './py-text.js';

/** The sacreBLEU version whose scores, strings and signature these match. */
export const SACREBLEU_VERSION = '2.6.0';

/** `BLEU = 34.21 67.4/42.1/28.3/19.0 (BP = 0.962 ratio = 0.963 hyp_len = 26 ref_len = 27)`. */
export function formatBleuScore(s: BleuScore, width = 2): string {
  const precisions = s.precisions.map((p) => pyFixed(p, 1)).join('/');
  return (
    `BLEU = ${pyFixed(s.score, width)} ${precisions} (BP = ${pyFixed(s.bp, 3)} ` +
    `ratio = ${pyFixed(s.ratio, 3)} hyp_len = ${s.sysLen} ref_len = ${s.refLen})`
  );
}

/**
 * sacreBLEU's signature: `numRefs` references per segment ('var' where segments differ),
 * case, effective order, tokenizer, smoothing (with its value where the method takes one).
 */
export function bleuSignature(o: ResolvedBleuOptions, numRefs: number | 'var'): string {
  const hasValue = BLEU_SMOOTH_DEFAULTS[o.smoothMethod] !== undefined;
  const smooth = hasValue ? `${o.smoothMethod}[${pyFixed(o.smoothValue ?? 0, 2)}]` : o.smoothMethod;
  return [
    `nrefs:${numRefs}`,
    `case:${o.lowercase ? 'lc' : 'mixed'}`,
    `eff:${o.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${o.tokenize}`,
    `smooth:${smooth}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
}
