/**
 * Language-model metrics: perplexity = exp(mean cross-entropy in nats), from a loss value or
 * straight from logits, computed stably with log-softmax.
 *
 *   perplexity(Math.log(4));                                      // 4
 *   perplexityFromLogits(tf.tensor2d([[0, 0], [0, 0]]), tf.tensor1d([0, 1], 'int32')); // 2
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { describe } from './validate.js';

/** Perplexity from a mean cross-entropy in nats (natural log): exp(x). */
export function perplexity(meanCrossEntropyNats: number): number {
  if (typeof meanCrossEntropyNats !== 'number' || !(meanCrossEntropyNats >= 0)) {
    throw new InvalidArgumentError(
      `meanCrossEntropyNats must be a number >= 0; received ${String(meanCrossEntropyNats)}. ` +
        'Pass the mean cross-entropy in nats (a log2 value needs multiplying by ln 2 first).',
    );
  }
  return Math.exp(meanCrossEntropyNats);
}

/** The summed cross-entropy (nats) of a batch and its number of tokens. */
export interface CrossEntropySum {
  sum: number;
  count: number;
}

/**
 * Σ −log softmax(logits)[label] over the rows, with one read of three numbers (the sum and the
 * label range, checked afterwards). Leaks no tensors.
 */
export function crossEntropySum(logits: tf.Tensor2D, labels: tf.Tensor1D): CrossEntropySum {
  checkLogitsAndLabels(logits, labels);
  const [numRows, numClasses] = logits.shape;
  if (numRows === 0) return { sum: 0, count: 0 };
  const stats = tf.tidy(() => {
    const ids = tf.cast(labels, 'int32');
    const safe = tf.clipByValue(ids, 0, numClasses - 1);
    const logProbs = tf.logSoftmax(tf.cast(logits, 'float32'));
    // one-hot · log p rather than a batched gather: tfjs-backend-wasm 4.22's Gather with
    // batchDims 1 reads out of bounds.
    const picked = tf.mul(tf.oneHot(safe, numClasses), logProbs);
    return tf.stack([
      tf.neg(tf.sum(picked)),
      tf.cast(tf.min(ids), 'float32'),
      tf.cast(tf.max(ids), 'float32'),
    ]);
  });
  const [sum, min, max] = stats.dataSync();
  stats.dispose();
  if (min! < 0 || max! >= numClasses) {
    throw new InvalidArgumentError(
      `labels range over [${min}, ${max}]; expected class ids in [0, ${numClasses}).`,
    );
  }
  return { sum: sum!, count: numRows };
}

function checkLogitsAndLabels(logits: tf.Tensor, labels: tf.Tensor): void {
  if (!(logits instanceof tf.Tensor) || !(labels instanceof tf.Tensor)) {
    const received = `logits: ${describe(logits)}, labels: ${describe(labels)}`;
    throw new InvalidArgumentError(`logits and labels must be tf.Tensors; received ${received}.`);
  }
  if (logits.rank !== 2 || labels.rank !== 1) {
    throw new InvalidArgumentError(
      `expected logits [batch, classes] and labels [batch]; received logits [${logits.shape}] and labels [${labels.shape}].`,
    );
  }
  if (logits.shape[0] !== labels.shape[0]) {
    throw new ShapeMismatchError(
      `logits has ${logits.shape[0]} rows but labels has ${labels.shape[0]}; expected equal.`,
    );
  }
}

/** Perplexity of a batch: exp(mean −log softmax(logits)[label]). */
export function perplexityFromLogits(logits: tf.Tensor2D, labels: tf.Tensor1D): number {
  const { sum, count } = crossEntropySum(logits, labels);
  if (count === 0) throw new InvalidArgumentError('logits has 0 rows; expected at least one token.');
  return perplexity(Math.max(0, sum / count));
}
