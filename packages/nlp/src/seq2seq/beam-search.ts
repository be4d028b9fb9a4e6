/**
 * Beam search (d2l §10.8) with GNMT's length penalty, batched: all sources × `beamSize` beams go
 * through the decoder at once (one `decode` of T = 1 per step; `state.gather` reorders the rows
 * to the surviving hypotheses). A hypothesis is scored log P(y) / lp(|y|), lp = ((5 + |y|)/6)^α
 * (length-penalty.ts), |y| counting its `<eos>`. At each step every hypothesis proposes its
 * extensions by every token, and each source keeps its `beamSize` best by that score; a finished
 * hypothesis (it emitted `<eos>`) proposes only itself, so it keeps its score and competes with
 * the longer ones; a hypothesis reaching `maxLen` tokens ends there. Decoding stops early once no
 * live hypothesis can beat its source's best finished one (its log P / lp(maxLen) bounds it). The
 * best per source wins: with a beam as wide as the number of hypotheses, that is the exhaustive
 * search's answer.
 *
 *   const { tokens, scores } = beamSearch(model, src, srcValidLen, { beamSize: 4, alpha: 0.75, maxLen: 20, bos: 1, eos: 2 });
 *   tokens[0];     // the best hypothesis of source 0, without <eos>; scores[0] its log P / lp
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { type DecodeOptions, decodeOptionsSchema, parseDecodeOptions } from './decode-options.js';
import { decodeStep, reorderState, startDecoding } from './decode-step.js';
import type { Seq2SeqModel } from './encoder-decoder.js';
import { gnmtLengthPenalty } from './length-penalty.js';

export interface BeamSearchOptions extends DecodeOptions {
  /** Hypotheses kept per source. 1 is greedy decoding. */
  beamSize: number;
  /** GNMT length-penalty exponent α (0: plain log-probability). Default 0. */
  alpha?: number;
}

export const beamSearchOptionsSchema = decodeOptionsSchema.extend({
  beamSize: z.number().int().positive(),
  alpha: z.number().min(0).default(0),
});

/** One hypothesis: ids without `<eos>`, its score, whether it ended with `<eos>`. */
export interface Hypothesis {
  tokens: number[];
  /** log P(tokens [+ <eos>]) / lp(|y|). */
  score: number;
  /** log P(tokens [+ <eos>]). */
  logProb: number;
  finished: boolean;
}

export interface BeamSearchResult {
  /** Per source, the best hypothesis' ids (without `<eos>`). */
  tokens: number[][];
  /** Per source, the best hypothesis' score. */
  scores: number[];
  /** Per source, the final beam, best first (hypotheses with −∞ score left out). */
  nBest: Hypothesis[][];
}

/** The beams of every source as flat rows (source b's beam k is row b·K + k). */
interface Beams {
  logProb: Float64Array;
  finished: Uint8Array;
  seqs: number[][];
  last: Int32Array;
}

function initialBeams(B: number, K: number, bos: number): Beams {
  const logProb = new Float64Array(B * K).fill(Number.NEGATIVE_INFINITY);
  for (let b = 0; b < B; b++) logProb[b * K] = 0; // one live hypothesis per source to start
  return {
    logProb,
    finished: new Uint8Array(B * K),
    seqs: Array.from({ length: B * K }, () => []),
    last: new Int32Array(B * K).fill(bos),
  };
}

/** Length of a hypothesis' y (its tokens, plus `<eos>` when finished). */
const lengthOf = (beams: Beams, row: number) => beams.seqs[row]!.length + beams.finished[row]!;

/**
 * Each source's K best extensions: row index of the parent, token, log P. Candidates are scored on
 * the device: (log P(parent) + log p(token)) / lp(t + 1) for live rows; a finished row's only
 * candidate is itself (token `<eos>`, log p 0) over its own lp.
 */
function selectBest(
  logits: tf.Tensor2D,
  beams: Beams,
  B: number,
  K: number,
  t: number,
  o: { eos: number; alpha: number },
): { parent: Int32Array; token: Int32Array; logProb: Float32Array } {
  const V = logits.shape[1];
  const [index, logProb] = tf.tidy(() => {
    const N = B * K;
    const prev = tf.tensor2d(Float32Array.from(beams.logProb), [N, 1]);
    const fin = tf.tensor2d(beams.finished, [N, 1], 'bool');
    const onlyEos = tf.where(tf.equal(tf.range(0, V, 1, 'int32'), o.eos), tf.scalar(0), tf.scalar(-Infinity));
    const cand = tf.where(
      tf.broadcastTo(fin, [N, V]),
      tf.add(prev, onlyEos),
      tf.add(prev, tf.logSoftmax(logits)),
    );
    const lp = Float32Array.from({ length: N }, (_, r) =>
      gnmtLengthPenalty(beams.finished[r] ? lengthOf(beams, r) : t + 1, o.alpha),
    );
    const scored = tf.reshape(tf.div(cand, tf.tensor2d(lp, [N, 1])), [B, K * V]);
    const { indices } = tf.topk(scored, K);
    const picked = tf.gather(tf.reshape(cand, [B, K * V]), indices, 1, 1);
    return [indices.dataSync() as Int32Array, picked.dataSync() as Float32Array];
  });
  const parent = new Int32Array(B * K);
  const token = new Int32Array(B * K);
  for (let r = 0; r < B * K; r++) {
    parent[r] = Math.floor(r / K) * K + Math.floor(index[r]! / V);
    token[r] = index[r]! % V;
  }
  return { parent, token, logProb };
}

/** The beams after choosing (parent, token) per row. */
function extend(beams: Beams, pick: ReturnType<typeof selectBest>, eos: number): Beams {
  const N = pick.parent.length;
  const next = initialBeams(0, 0, 0);
  next.logProb = Float64Array.from(pick.logProb);
  next.finished = new Uint8Array(N);
  next.last = Int32Array.from(pick.token);
  next.seqs = Array.from(pick.parent, (p, r) => {
    const wasDone = beams.finished[p] === 1;
    next.finished[r] = wasDone || pick.token[r] === eos ? 1 : 0;
    return wasDone || pick.token[r] === eos ? beams.seqs[p]! : [...beams.seqs[p]!, pick.token[r]!];
  });
  return next;
}

/**
 * Whether no live hypothesis can still beat its source's best finished one: a live hypothesis'
 * log P only falls and its lp only grows up to lp(maxLen), so log P / lp(maxLen) bounds its score.
 */
function settled(beams: Beams, B: number, K: number, o: { alpha: number; maxLen: number }): boolean {
  const lpMax = gnmtLengthPenalty(o.maxLen, o.alpha);
  for (let b = 0; b < B; b++) {
    let best = Number.NEGATIVE_INFINITY;
    let bound = Number.NEGATIVE_INFINITY;
    for (let r = b * K; r < (b + 1) * K; r++) {
      const lp = beams.logProb[r]!;
      if (beams.finished[r]) best = Math.max(best, lp / gnmtLengthPenalty(lengthOf(beams, r), o.alpha));
      else bound = Math.max(bound, lp / lpMax);
    }
    if (bound > Number.NEGATIVE_INFINITY && bound >= best) return false;
  }
  return true;
}

/** Each source's beam as hypotheses, best first. */
function ranked(beams: Beams, B: number, K: number, alpha: number): Hypothesis[][] {
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: K }, (_, k) => b * K + k)
      .filter((r) => beams.logProb[r]! > Number.NEGATIVE_INFINITY)
      .map((r) => ({
        tokens: beams.seqs[r]!,
        logProb: beams.logProb[r]!,
        score: beams.logProb[r]! / gnmtLengthPenalty(lengthOf(beams, r), alpha),
        finished: beams.finished[r] === 1,
      }))
      .sort((x, y) => y.score - x.score),
  );
}

/** Beam search translations of src [B, Ts] (lengths [B]); see the file header. */
export function beamSearch(
  model: Seq2SeqModel,
  src: tf.Tensor2D,
  srcValidLen: tf.Tensor1D,
  options: BeamSearchOptions,
): BeamSearchResult {
  const o = parseDecodeOptions('beamSearch', beamSearchOptionsSchema, options, model.config.tgtVocabSize);
  const B = src.shape[0];
  const K = o.beamSize;
  let beams = initialBeams(B, K, o.bos);
  let state = startDecoding(model, src, srcValidLen);
  try {
    state = reorderState(
      state,
      Int32Array.from({ length: B * K }, (_, r) => Math.floor(r / K)),
    );
    for (let t = 0; t < o.maxLen && !settled(beams, B, K, o); t++) {
      const step = decodeStep(model, beams.last, state);
      state = step.state;
      let pick: ReturnType<typeof selectBest>;
      try {
        pick = selectBest(step.logits, beams, B, K, t, o);
      } finally {
        step.logits.dispose();
      }
      beams = extend(beams, pick, o.eos);
      if (t + 1 < o.maxLen) state = reorderState(state, pick.parent);
    }
  } finally {
    state.dispose();
  }
  const nBest = ranked(beams, B, K, o.alpha);
  return {
    tokens: nBest.map((h) => h[0]?.tokens ?? []),
    scores: nBest.map((h) => h[0]?.score ?? Number.NEGATIVE_INFINITY),
    nBest,
  };
}
