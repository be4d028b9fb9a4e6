/**
 * Scores of a sentiment classifier: accuracy and F1 of the positive class (sklearn's
 * `f1_score`, binary) from @dlpipe/tensor's metrics, and batched class predictions of a model.
 *
 *   const { accuracy, f1 } = sentimentScores(yTrue, predictClasses(net, ds.test.x));
 */
import { accuracy, precisionRecallF1, tf } from '@dlpipe/tensor';

export interface SentimentScores {
  accuracy: number;
  /** F1 of the positive class (label 1). */
  f1: number;
}

export function sentimentScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SentimentScores {
  return { accuracy: accuracy(yTrue, yPred), f1: precisionRecallF1(yTrue, yPred, { average: 'binary' }).f1 };
}

/** Class probabilities [n, classes] of a model over token ids, in batches. */
export function predictProba(net: tf.LayersModel, x: tf.Tensor2D, batchSize = 256): number[][] {
  const rows: number[][] = [];
  for (let s = 0; s < x.shape[0]; s += batchSize) {
    const p = tf.tidy(() =>
      tf.softmax(net.predict(tf.slice(x, s, Math.min(batchSize, x.shape[0] - s))) as tf.Tensor2D),
    );
    rows.push(...(p.arraySync() as number[][]));
    p.dispose();
  }
  return rows;
}

/** The argmax class of each row. */
export function predictClasses(net: tf.LayersModel, x: tf.Tensor2D): number[] {
  return predictProba(net, x).map((r) => r.indexOf(Math.max(...r)));
}
