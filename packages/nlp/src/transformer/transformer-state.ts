/**
 * The Transformer decoder's state between `decode` calls (d2l's `[enc_outputs, enc_valid_lens,
 * [cache per block]]`): the encoder outputs, the source valid lengths and each block's inputs of
 * the steps decoded so far. It owns its tensors as the seq2seq states do (not kept: a tidy around
 * the call that made it frees them unless they are returned or kept, see seq2seq/decode-step.ts):
 * `dispose()` frees them, `gather(indices)` returns a new state of those batch rows (beam search's
 * reorder). No two states share a tensor, so disposing one never breaks another.
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

  /** Takes ownership of `parts`' tensors (clone those you keep elsewhere). */
  constructor(parts: TransformerDecoderStateParts) {
    this.encOutputs = parts.encOutputs;
    this.encValidLens = parts.encValidLens;
    this.caches = parts.caches;
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
