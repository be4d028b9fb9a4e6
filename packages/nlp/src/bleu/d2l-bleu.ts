/**
 * d2l's `bleu(pred_seq, label_seq, k)` (§10.7.6, "Evaluation of Predicted Sequences"): tokens are
 * the pieces between single spaces; score = exp(min(0, 1 − len_label/len_pred)) · Π p_n^(1/2^n)
 * for n = 1…min(k, len_pred), p_n being the hypothesis n-grams matched in the label, each label
 * n-gram used once. 0–1, not sacreBLEU's 0–100, and no smoothing: one order without a match gives 0.
 *
 *   bleu('il est calme .', 'il est calme .', 2);  // 1
 *   bleu('il est .', 'il est calme .', 2);        // exp(1 − 4/3) · (3/3)^(1/2) · (1/2)^(1/4) = 0.6025…
 */
import { InvalidArgumentError } from '@dlpipe/core';

/** How many of pred's n-grams are found in label, each label n-gram matched at most once. */
function clippedMatches(pred: string[], label: string[], n: number): number {
  const labelSubs = new Map<string, number>();
  for (let i = 0; i + n <= label.length; i++) {
    const g = label.slice(i, i + n).join(' ');
    labelSubs.set(g, (labelSubs.get(g) ?? 0) + 1);
  }
  let matches = 0;
  for (let i = 0; i + n <= pred.length; i++) {
    const g = pred.slice(i, i + n).join(' ');
    const left = labelSubs.get(g) ?? 0;
    if (left > 0) {
      matches++;
      labelSubs.set(g, left - 1);
    }
  }
  return matches;
}

/** d2l's BLEU of a predicted sequence against one label sequence, up to k-grams. */
export function bleu(predSeq: string, labelSeq: string, k: number): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidArgumentError(`bleu: k must be a positive integer (the longest n-gram), received ${k}`);
  }
  const predTokens = predSeq.split(' ');
  const labelTokens = labelSeq.split(' ');
  const lenPred = predTokens.length;
  const lenLabel = labelTokens.length;
  let score = Math.exp(Math.min(0, 1 - lenLabel / lenPred));
  for (let n = 1; n <= Math.min(k, lenPred); n++) {
    const numMatches = clippedMatches(predTokens, labelTokens, n);
    score *= (numMatches / (lenPred - n + 1)) ** (0.5 ** n);
  }
  return score;
}
