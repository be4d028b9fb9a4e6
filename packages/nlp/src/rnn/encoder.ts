/**
 * The recurrent encoder both implementations share: a stack of `numLayers` RNN/GRU/LSTM layers,
 * optionally bidirectional (d2l 10.3, 10.4), mapping X [batch, steps, inputDim] to outputs
 * [batch, steps, numHiddens × directions] and the final state of every layer and direction.
 *
 *   const enc = createEncoder({ impl: 'layers', kind: 'gru', inputDim: 28, numHiddens: 256 });
 *   const { outputs, state } = enc.forward(X);
 */
import type { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { CELL_KINDS, type CellKind, type CellState } from './cells.js';

export const ENCODER_IMPLS = ['scratch', 'layers'] as const;
export type EncoderImpl = (typeof ENCODER_IMPLS)[number];

export interface RecurrentOptions {
  /** The cell: 'rnn' (tanh), 'gru' or 'lstm'. */
  kind: CellKind;
  /** Features per time step of the input. */
  inputDim: number;
  /** Hidden units per layer and direction. */
  numHiddens: number;
  /** Stacked layers (d2l's deep RNN). Default 1. */
  numLayers?: number;
  /** A forward and a backward pass per layer, outputs concatenated. Default false. */
  bidirectional?: boolean;
}

export const recurrentOptionsSchema = z.object({
  kind: z.enum(CELL_KINDS),
  inputDim: z.number().int().positive(),
  numHiddens: z.number().int().positive(),
  numLayers: z.number().int().positive().default(1),
  bidirectional: z.boolean().default(false),
});

/** Final states per layer, and per direction within a layer (forward first): [layer·dirs + dir]. */
export type EncoderState = CellState[];

export interface EncoderOutput {
  outputs: tf.Tensor3D;
  state: EncoderState;
}

export interface RecurrentEncoder {
  readonly impl: EncoderImpl;
  readonly options: Readonly<Required<RecurrentOptions>>;
  /** Runs the whole sequence; `state` (default zeros) is the initial state of each layer/direction. */
  forward(X: tf.Tensor3D, state?: EncoderState): EncoderOutput;
  trainableVariables(): tf.Variable[];
  /** Releases the variables. */
  dispose(): void;
}

/** Options with defaults filled in. */
export function resolveRecurrentOptions(o: RecurrentOptions): Required<RecurrentOptions> {
  return { numLayers: 1, bidirectional: false, ...o };
}
