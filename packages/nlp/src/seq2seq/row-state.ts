/**
 * A `DecoderState` whose every tensor is indexed by batch row on axis 0 (the RNN decoders' state:
 * hidden state per layer, the context, the encoder outputs, the source lengths), grouped by name.
 * `gather` picks rows of every tensor, as beam search reorders and expands its hypotheses.
 *
 *   const state = new RowState({ hidden: [h0, h1], context: [c] });   // takes ownership of the tensors
 *   const beams = state.gather(tf.tensor1d([0, 0, 1, 1], 'int32'));    // rows 0, 0, 1, 1
 *   state.part('hidden');                                               // [h0, h1]
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import type { DecoderState } from './encoder-decoder.js';

export class RowState<K extends string> implements DecoderState {
  readonly batchSize: number;

  /** Takes ownership of `parts`' tensors (clone those you keep elsewhere); all must share axis 0. */
  constructor(private readonly parts: Readonly<Record<K, readonly tf.Tensor[]>>) {
    const all = this.tensors();
    this.batchSize = all[0]?.shape[0] ?? 0;
    const bad = all.find((t) => t.shape[0] !== this.batchSize);
    if (bad) {
      throw new ModelUseError(
        `a decoder state's tensors must share their first (batch) dimension, got ${this.batchSize} and ${bad.shape[0]}.`,
      );
    }
  }

  /** The tensors stored under `name`. */
  part(name: K): readonly tf.Tensor[] {
    return this.parts[name];
  }

  gather(indices: tf.Tensor1D): RowState<K> {
    const picked = tf.tidy(() =>
      Object.fromEntries(
        Object.entries<readonly tf.Tensor[]>(this.parts).map(([k, ts]) => [
          k,
          ts.map((t) => tf.gather(t, indices)),
        ]),
      ),
    );
    return new RowState(picked as Record<K, tf.Tensor[]>);
  }

  /** Whether the state has every part in `names`. */
  hasParts(names: readonly string[]): boolean {
    return names.every((n) => Object.hasOwn(this.parts, n));
  }

  tensors(): tf.Tensor[] {
    return Object.values<readonly tf.Tensor[]>(this.parts).flat();
  }

  dispose(): void {
    tf.dispose(this.tensors());
  }
}

/** `state` as a RowState with parts `names`, or a typed error naming `who` (a model's decode). */
export function asRowState<K extends string>(
  state: DecoderState,
  names: readonly K[],
  who: string,
): RowState<K> {
  if (state instanceof RowState && state.hasParts(names)) return state as RowState<K>;
  throw new ModelUseError(
    `${who}: the decoder state must come from this model's initState (or its gather), with parts ` +
      `${names.join(', ')}; got a state of another model.`,
  );
}
