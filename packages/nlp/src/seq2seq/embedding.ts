/**
 * A token embedding as PyTorch's `nn.Embedding` (d2l §10.7): a [vocabSize, embedSize] table
 * drawn from N(0, 1), looked up by id. Ids out of range are refused (tf.gather would give zeros
 * on some backends and garbage on others).
 *
 *   const embedding = new Embedding({ vocabSize: 10, embedSize: 8 });
 *   embedding.apply(tf.tensor2d([[1, 2, 3]], undefined, 'int32'));   // [1, 3, 8]
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';

export interface EmbeddingOptions {
  /** Rows of the table (token ids 0 … vocabSize − 1). */
  vocabSize: number;
  /** Width of each token vector. */
  embedSize: number;
}

export class Embedding {
  readonly vocabSize: number;
  readonly embedSize: number;
  readonly weight: tf.Variable;

  constructor(options: EmbeddingOptions) {
    const { vocabSize, embedSize } = options;
    if (!(Number.isInteger(vocabSize) && vocabSize > 0 && Number.isInteger(embedSize) && embedSize > 0)) {
      throw new ModelUseError(
        `Embedding: vocabSize and embedSize must be positive integers, got ${vocabSize} and ${embedSize}.`,
      );
    }
    this.vocabSize = vocabSize;
    this.embedSize = embedSize;
    this.weight = tf.tidy(() => tf.variable(tf.randomNormal([vocabSize, embedSize])));
  }

  /** ids [...] (any integer dtype or float holding integers) → [..., embedSize]. */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const idx = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
      const lo = idx.size > 0 ? (tf.min(idx).arraySync() as number) : 0;
      const hi = idx.size > 0 ? (tf.max(idx).arraySync() as number) : 0;
      if (lo < 0 || hi >= this.vocabSize) {
        throw new ModelUseError(
          `Embedding: token ids must be in [0, ${this.vocabSize - 1}], got ids from ${lo} to ${hi}; ` +
            'encode the text with the vocabulary the model was built for.',
        );
      }
      return tf.gather(this.weight, idx);
    });
  }

  namedWeights(): Record<string, tf.Variable> {
    return { weight: this.weight };
  }

  dispose(): void {
    this.weight.dispose();
  }
}
