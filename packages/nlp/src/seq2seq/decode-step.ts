/**
 * What greedy decoding and beam search share: the decoder state started from the sources, one
 * decoding step for one token per state row, and state reordering, each disposing what it
 * replaces, so the tensor count stays flat over the steps whatever a model keeps or shares
 * between its states (a tensor the new state still holds is kept, the others are freed).
 *
 *   let state = startDecoding(model, src, srcValidLen);
 *   const step = decodeStep(model, [bos, bos], state);     // step.logits [2, V]
 *   state = step.state;                                     // the old state is already freed
 *   state = reorderState(state, [1, 1]);                    // both rows now continue row 1
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import type { DecoderState, Seq2SeqModel } from './encoder-decoder.js';

/** Frees the tensors of `old` that `next` does not hold. */
export function releaseState(old: DecoderState, next: DecoderState): void {
  const kept = new Set(next.tensors());
  tf.dispose(old.tensors().filter((t) => !kept.has(t) && !t.isDisposed));
}

/** encode + initState (inference mode); the encoder's other tensors are freed. */
export function startDecoding(model: Seq2SeqModel, src: tf.Tensor2D, srcValidLen: tf.Tensor1D): DecoderState {
  let state: DecoderState | undefined;
  tf.tidy(() => {
    state = model.initState(model.encode(src, srcValidLen, false), srcValidLen);
    for (const t of state.tensors()) tf.keep(t);
  });
  return state!;
}

export interface DecodeStepResult {
  /** [N, V] logits of the next token per state row. */
  logits: tf.Tensor2D;
  /** [N, Ts] weights over the source (last attention tensor, heads averaged), when asked and the model has attention. */
  attention?: tf.Tensor2D;
  state: DecoderState;
}

/** Last query's weights over the source from `model.attentionWeights()`: [N, (heads,) T, Ts] → [N, Ts]. */
function lastAttention(model: Seq2SeqModel): tf.Tensor2D | undefined {
  const all = model.attentionWeights?.() ?? [];
  let w = all[all.length - 1];
  if (!w) return undefined;
  if (w.rank === 4) w = tf.mean(w, 1);
  if (w.rank !== 3) {
    throw new ModelUseError(
      `attention weights must be [batch, (heads,) queries, keys], got shape [${w.shape}].`,
    );
  }
  const [n, q, k] = w.shape as [number, number, number];
  return tf.reshape(tf.slice(w, [0, q - 1, 0], [n, 1, k]), [n, k]);
}

/** Feeds one token per row (`tokens`) from `state`; frees `state` (what the result does not share). */
export function decodeStep(
  model: Seq2SeqModel,
  tokens: ArrayLike<number>,
  state: DecoderState,
  withAttention = false,
): DecodeStepResult {
  const n = state.batchSize;
  if (tokens.length !== n) {
    throw new ModelUseError(
      `decodeStep: ${tokens.length} tokens for a state of ${n} rows; pass one per row.`,
    );
  }
  let next: DecoderState | undefined;
  const out = tf.tidy(() => {
    const input = tf.tensor2d(Int32Array.from(tokens), [n, 1], 'int32');
    const r = model.decode(input, state, false);
    next = r.state;
    for (const t of next.tensors()) tf.keep(t);
    const logits = tf.reshape(r.logits, [n, -1]) as tf.Tensor2D;
    const attention = withAttention ? lastAttention(model) : undefined;
    return attention ? { logits, attention } : { logits };
  });
  releaseState(state, next!);
  return { ...out, state: next! };
}

/** The state with rows `rows` (beam search's parents); frees the old state. */
export function reorderState(state: DecoderState, rows: ArrayLike<number>): DecoderState {
  const idx = tf.tensor1d(Int32Array.from(rows), 'int32');
  let next: DecoderState | undefined;
  try {
    tf.tidy(() => {
      next = state.gather(idx);
      for (const t of next.tensors()) tf.keep(t);
    });
  } finally {
    idx.dispose();
  }
  releaseState(state, next!);
  return next!;
}
