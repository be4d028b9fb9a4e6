/**
 * Streaming perplexity for language models: exp(mean cross-entropy per token) over an epoch, the
 * number d2l reports. It computes the cross-entropy with one-hot targets and log-softmax rather
 * than @dlpipe/tensor's `PerplexityMetric`, whose batched gather crashes the wasm backend
 * ("memory access out of bounds", tfjs-backend-wasm 4.22 GatherV2 with batchDims 1); the value
 * is the same and goes through the core's `perplexity()`.
 *
 *   await fit(lm, train, { metrics: [new TokenPerplexity()], … });   // history: perplexity
 */
import { perplexity, type StreamingMetric, tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';

export class TokenPerplexity implements StreamingMetric {
  readonly name: string;
  private total = 0;
  private count = 0;

  constructor(name = 'perplexity') {
    this.name = name;
  }

  /** yTrue: token ids [...]; yPred: logits [..., vocab]. */
  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const vocab = yPred.shape[yPred.rank - 1]!;
    if (yTrue.size * vocab !== yPred.size) {
      throw new ModelUseError(
        `token ids [${yTrue.shape}] do not fit logits [${yPred.shape}]; expected ids [${yPred.shape.slice(0, -1)}].`,
      );
    }
    const sum = tf.tidy(() => {
      const logp = tf.logSoftmax(tf.reshape(yPred, [-1, vocab]));
      const target = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), vocab);
      return tf.neg(tf.sum(tf.mul(target, logp)));
    });
    this.total += sum.dataSync()[0]!;
    sum.dispose();
    this.count += yTrue.size;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : perplexity(Math.max(0, this.total / this.count));
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
