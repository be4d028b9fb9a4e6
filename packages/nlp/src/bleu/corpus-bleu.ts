/**
 * Corpus and sentence BLEU as sacreBLEU 2.6.0 computes them: each segment lowercased (optionally),
 * right-stripped and tokenized; hypothesis n-grams (1–4) clipped by their highest count in any one
 * reference; the reference length closest to the hypothesis (the shorter on a tie); statistics
 * summed over the corpus, then `computeBleu`. `corpusBleu` has effective order off (sacreBLEU's
 * `corpus_bleu`), `sentenceBleu` on (its `sentence_bleu`).
 *
 *   const r = corpusBleu(['The cat sat on the mat.'], [['The cat sat on a mat.']]);
 *   formatBleuScore(r.score);  // 'BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)'
 *   r.signature;               // 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0'
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { type BleuOptions, type ResolvedBleuOptions, resolveBleuOptions } from './bleu-options.js';
import { type BleuScore, type BleuStats, computeBleu } from './compute-bleu.js';
import { pyLower, pyRstrip, pySplit } from './py-text.js';
import { bleuSignature } from './signature.js';
import { BLEU_TOKENIZERS } from './tokenizers.js';

/** A score with sacreBLEU's signature for it. */
export interface BleuResult {
  score: BleuScore;
  signature: string;
  /** References per segment, or 'var' where segments have different numbers (null references). */
  numRefs: number | 'var';
}

/** n-gram counts per order (index n−1), keys are the n tokens joined by spaces. */
type NgramCounts = Map<string, number>[];

function ngramsOf(tokens: string[], maxOrder: number): NgramCounts {
  const out: NgramCounts = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const g = tokens.slice(i, i + n).join(' ');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/** sacreBLEU's `_preprocess_segment` then `line.split()`: the segment's tokens. */
function tokensOf(line: string, o: ResolvedBleuOptions): string[] {
  const cased = o.lowercase ? pyLower(line) : line;
  return pySplit(BLEU_TOKENIZERS[o.tokenize](pyRstrip(cased)));
}

/** The closest reference length to hypLen; the shorter on a tie. */
function closestRefLen(hypLen: number, refLens: number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && len < best)) {
      bestDiff = diff;
      best = len;
    }
  }
  return best;
}

/** One segment's statistics against its references (already tokenized). */
function segmentStats(hyp: string[], refs: string[][], o: ResolvedBleuOptions): BleuStats {
  const refMax: NgramCounts = Array.from({ length: o.maxNgramOrder }, () => new Map());
  for (const ref of refs) {
    ngramsOf(ref, o.maxNgramOrder).forEach((m, n) => {
      for (const [g, c] of m) refMax[n]!.set(g, Math.max(refMax[n]!.get(g) ?? 0, c));
    });
  }
  const correct = new Array<number>(o.maxNgramOrder).fill(0);
  const total = new Array<number>(o.maxNgramOrder).fill(0);
  ngramsOf(hyp, o.maxNgramOrder).forEach((m, n) => {
    for (const [g, c] of m) {
      total[n]! += c;
      correct[n]! += Math.min(c, refMax[n]!.get(g) ?? 0);
    }
  });
  const refLen = closestRefLen(
    hyp.length,
    refs.map((r) => r.length),
  );
  return { correct, total, sysLen: hyp.length, refLen };
}

/** The segments' references (null ones dropped), checked against the hypotheses. */
function segmentsOf(hyps: readonly string[], refs: ReadonlyArray<ReadonlyArray<string | null>>): string[][] {
  if (refs.length === 0) {
    throw new InvalidArgumentError('BLEU: no reference streams; pass refs as [stream1, stream2, …]');
  }
  refs.forEach((stream, r) => {
    if (stream.length !== hyps.length) {
      throw new InvalidArgumentError(
        `BLEU: reference stream ${r + 1} has ${stream.length} segments, the hypotheses ${hyps.length}; ` +
          'each stream needs one segment per hypothesis (null where a segment has fewer references)',
      );
    }
  });
  return hyps.map((_, i) => {
    const lines = refs.map((stream) => stream[i]).filter((x): x is string => typeof x === 'string');
    if (lines.length === 0) throw new InvalidArgumentError(`BLEU: segment ${i + 1} has no reference`);
    return lines;
  });
}

/** sacreBLEU's `corpus_score`: hypotheses, and reference streams each parallel to them. */
export function corpusBleuWith(
  hyps: readonly string[],
  refs: ReadonlyArray<ReadonlyArray<string | null>>,
  o: ResolvedBleuOptions,
): BleuResult {
  const segments = segmentsOf(hyps, refs);
  const sum: BleuStats = {
    correct: new Array<number>(o.maxNgramOrder).fill(0),
    total: new Array<number>(o.maxNgramOrder).fill(0),
    sysLen: 0,
    refLen: 0,
  };
  segments.forEach((lines, i) => {
    const s = segmentStats(
      tokensOf(hyps[i]!, o),
      lines.map((l) => tokensOf(l, o)),
      o,
    );
    sum.sysLen += s.sysLen;
    sum.refLen += s.refLen;
    s.correct.forEach((c, n) => {
      sum.correct[n]! += c;
      sum.total[n]! += s.total[n]!;
    });
  });
  const counts = new Set(segments.map((l) => l.length));
  const numRefs = counts.size === 1 ? [...counts][0]! : 'var';
  return { score: computeBleu(sum, o), signature: bleuSignature(o, numRefs), numRefs };
}

/** Corpus BLEU, effective order off by default (sacreBLEU's `corpus_bleu`). */
export function corpusBleu(
  hyps: readonly string[],
  refs: ReadonlyArray<ReadonlyArray<string | null>>,
  options: BleuOptions = {},
): BleuResult {
  return corpusBleuWith(hyps, refs, resolveBleuOptions(options));
}

/** Sentence BLEU against one or more references, effective order on by default (`sentence_bleu`). */
export function sentenceBleu(hyp: string, refs: readonly string[], options: BleuOptions = {}): BleuResult {
  const o = resolveBleuOptions({ effectiveOrder: true, ...options });
  return corpusBleuWith(
    [hyp],
    refs.map((r) => [r]),
    o,
  );
}
