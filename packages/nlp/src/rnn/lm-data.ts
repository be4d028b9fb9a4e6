/**
 * A `DataSource` of language-model batches for `fit`: d2l's random or sequential partitioning of
 * a token-id corpus into X [batch, numSteps] and Y (X shifted by one), as int32 tensors. Each
 * epoch's offset and order come from the loop's (seed, epoch) generator. Sequential batches after
 * an epoch's first are marked `continues`, so an `RNNLM` starts them from the previous batch's
 * final hidden state, detached (d2l's `train_epoch_ch8`); random batches start from zeros.
 *
 *   const train = lmDataSource(vocab.indicesOf(tokens), { batchSize: 32, numSteps: 35, sampling: 'sequential' });
 */

import type { Rng } from '@dlpipe/core';
import { type DataSource, tf } from '@dlpipe/tensor';
import { seqDataIterRandom, seqDataIterSequential } from '../corpus/partition.js';
import { ModelUseError } from '../errors.js';
import type { LMBatch } from './rnn-lm.js';

export interface LMDataSourceOptions {
  batchSize: number;
  numSteps: number;
  /** 'random' (default) or 'sequential' partitioning (d2l 9.3). */
  sampling?: 'random' | 'sequential';
  /** Sequential only: carry the hidden state from batch to batch within an epoch. Default true. */
  carryState?: boolean;
}

export function lmDataSource(corpus: readonly number[], options: LMDataSourceOptions): DataSource<LMBatch> {
  const { batchSize, numSteps } = options;
  const perEpoch = Math.floor((corpus.length - numSteps) / numSteps / batchSize);
  if (!(batchSize >= 1 && numSteps >= 1) || perEpoch < 1) {
    throw new ModelUseError(
      `a corpus of ${corpus.length} tokens gives no batch of ${batchSize} × ${numSteps} tokens; ` +
        'use a longer corpus or a smaller --batch-size / --num-steps.',
    );
  }
  const sequential = options.sampling === 'sequential';
  const carry = sequential && (options.carryState ?? true);
  const iter = sequential ? seqDataIterSequential : seqDataIterRandom;
  return {
    length: perEpoch,
    *batches(_epoch: number, rng: Rng) {
      let n = 0;
      for (const { X, Y } of iter(corpus, batchSize, numSteps, rng)) {
        if (n >= perEpoch) return; // the same count every epoch, whatever the random offset
        const batch: LMBatch = {
          X: tf.tensor2d(X, [batchSize, numSteps], 'int32'),
          Y: tf.tensor2d(Y, [batchSize, numSteps], 'int32'),
        };
        if (carry) batch.continues = n > 0;
        n++;
        yield batch;
      }
    },
  };
}
