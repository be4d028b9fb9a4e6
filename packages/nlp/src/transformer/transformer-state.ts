/**
 * The Transformer decoder's state between `decode` calls (d2l's `[enc_outputs, enc_valid_lens,
 * [cache per block]]`): the encoder outputs, the source valid lengths and each block's inputs of
 * the steps decoded so far. It owns its tensors (kept, so no tidy frees them): `dispose()` frees
 * them, `gather(indices)` returns a new state of those batch rows (beam search's reorder).
 *
 *   const state = new TransformerDecoderState({ encOutputs, encValidLens, caches: [] });
 *   state.steps;                                      // 0: nothing decoded yet
 *   const beams = state.gather(tf.tensor1d([0, 0, 1, 1], 'int32'));
 */
import { tf } from '@dlpipe/tensor';
import type { DecoderState } from '../seq2seq/encoder-decoder.js';

export interface TransformerDecoderStateParts {
  /** [b, srcSteps, numHiddens]. */
  encOutputs: tf.Tensor3D;
  /** [b] source valid lengths. */
  encValidLens: tf.Tensor1D;
  /** Per block [b, steps, numHiddens]; [] before the first step. */
  caches: tf.Tensor3D[];
}

export class TransformerDecoderState implements DecoderState {
  readonly encOutputs: tf.Tensor3D;
  readonly encValidLens: tf.Tensor1D;
  readonly caches: readonly tf.Tensor3D[];

  /** Takes ownership of `parts`' tensors (keeps them). */
  constructor(parts: TransformerDecoderStateParts) {
    this.encOutputs = tf.keep(parts.encOutputs);
    this.encValidLens = tf.keep(parts.encValidLens);
    this.caches = parts.caches.map((c) => tf.keep(c));
  }

  get batchSize(): number {
    return this.encOutputs.shape[0];
  }

  /** Target steps decoded so far (the cached length). */
  get steps(): number {
    return this.caches[0]?.shape[1] ?? 0;
  }

  gather(indices: tf.Tensor1D): TransformerDecoderState {
    const pick = <T extends tf.Tensor>(t: T) => tf.gather(t, indices, 0) as T;
    return new TransformerDecoderState(
      tf.tidy(() => ({
        encOutputs: pick(this.encOutputs),
        encValidLens: pick(this.encValidLens),
        caches: this.caches.map(pick),
      })),
    );
  }

  tensors(): tf.Tensor[] {
    return [this.encOutputs, this.encValidLens, ...this.caches];
  }

  dispose(): void {
    tf.dispose(this.tensors());
  }
}
