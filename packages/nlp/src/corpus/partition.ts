/**
 * d2l's sequence sampling for language models: random partitioning (subsequences from a random
 * offset, in random order) and sequential partitioning (adjacent minibatches continue each other,
 * so hidden state can carry over).
 *
 *   for (const { X, Y } of seqDataIterRandom(corpus, 2, 5, rng)) …   // X, Y: number[][] (batch × numSteps)
 */
import type { Rng } from '@dlpipe/core';

export interface SeqBatch {
  X: number[][];
  Y: number[][];
}

/** A d2l sequence sampler: minibatches of `batchSize` subsequences of `numSteps` tokens from `corpus`. */
export type SeqDataIter = (
  corpus: readonly number[],
  batchSize: number,
  numSteps: number,
  rng: Rng,
) => Generator<SeqBatch>;

/** Random partitioning: d2l `seq_data_iter_random`. */
export const seqDataIterRandom: SeqDataIter = function* (corpus, batchSize, numSteps, rng) {
  const offset = rng.int(numSteps);
  const c = corpus.slice(offset);
  const numSubseqs = Math.floor((c.length - 1) / numSteps);
  const starts = Array.from({ length: numSubseqs }, (_, i) => i * numSteps);
  for (let i = starts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [starts[i], starts[j]] = [starts[j]!, starts[i]!];
  }
  const numBatches = Math.floor(numSubseqs / batchSize);
  for (let b = 0; b < numBatches; b++) {
    const idx = starts.slice(b * batchSize, (b + 1) * batchSize);
    yield {
      X: idx.map((s) => c.slice(s, s + numSteps)),
      Y: idx.map((s) => c.slice(s + 1, s + 1 + numSteps)),
    };
  }
};

/** Sequential partitioning: d2l `seq_data_iter_sequential`. */
export const seqDataIterSequential: SeqDataIter = function* (corpus, batchSize, numSteps, rng) {
  const offset = rng.int(numSteps);
  const numTokens = Math.floor((corpus.length - offset - 1) / batchSize) * batchSize;
  const rows = numTokens / batchSize;
  const Xs = Array.from({ length: batchSize }, (_, r) =>
    corpus.slice(offset + r * rows, offset + (r + 1) * rows),
  );
  const Ys = Array.from({ length: batchSize }, (_, r) =>
    corpus.slice(offset + 1 + r * rows, offset + 1 + (r + 1) * rows),
  );
  const numBatches = Math.floor(rows / numSteps);
  for (let b = 0; b < numBatches; b++) {
    const i = b * numSteps;
    yield { X: Xs.map((x) => x.slice(i, i + numSteps)), Y: Ys.map((y) => y.slice(i, i + numSteps)) };
  }
};
