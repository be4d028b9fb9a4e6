/**
 * The recurrent encoder through tfjs layers: `tf.layers.simpleRNN` / `gru` / `lstm` (sigmoid
 * gates as d2l, not tfjs' default hard sigmoid), stacked `numLayers` deep, each wrapped in
 * `tf.layers.bidirectional` when asked; plus the mapping from the scratch version's weights
 * (tfjs concatenates gates in its kernels: GRU z|r|h, LSTM i|f|c|o).
 *
 *   const enc = new LayersEncoder({ kind: 'gru', inputDim: 28, numHiddens: 256 });
 *   enc.setWeightsFrom(scratch);                       // same numbers as the scratch encoder
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import { CELL_GATES, type CellKind, type CellParams } from './cells.js';
import {
  type EncoderOutput,
  type EncoderState,
  type RecurrentEncoder,
  type RecurrentOptions,
  resolveRecurrentOptions,
} from './encoder.js';
import type { ScratchEncoder } from './scratch-encoder.js';

type RnnLayer = ReturnType<typeof tf.layers.gru>;

function cellLayer(kind: CellKind, units: number): RnnLayer {
  // Glorot-uniform recurrent kernels (PyTorch-like uniform init) rather than tfjs' orthogonal
  // default, which warns on stderr about slowness for more than 2,000 elements.
  const common = {
    units,
    returnSequences: true,
    returnState: true,
    recurrentInitializer: 'glorotUniform' as const,
  };
  if (kind === 'rnn') return tf.layers.simpleRNN({ ...common, activation: 'tanh' });
  if (kind === 'gru') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
  return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
}

/** tfjs kernel, recurrent kernel and bias of one cell from d2l-named parameters (gates concatenated). */
export function layersWeightsOf(kind: CellKind, p: CellParams): tf.Tensor[] {
  const gates = CELL_GATES[kind];
  const cat = (prefix: string, axis: number) =>
    tf.concat(
      gates.map((g) => {
        const t = p[`${prefix}${g}`];
        if (!t) throw new ModelUseError(`cell parameter '${prefix}${g}' is missing for a ${kind} cell.`);
        return t;
      }),
      axis,
    );
  return [cat('W_x', 1), cat('W_h', 1), cat('b_', 0)];
}

export class LayersEncoder implements RecurrentEncoder {
  readonly impl = 'layers' as const;
  readonly options: Readonly<Required<RecurrentOptions>>;
  readonly layers: tf.layers.Layer[];

  constructor(options: RecurrentOptions) {
    this.options = resolveRecurrentOptions(options);
    const { kind, inputDim, numHiddens, numLayers, bidirectional } = this.options;
    this.layers = Array.from({ length: numLayers }, () => {
      const cell = cellLayer(kind, numHiddens);
      return bidirectional ? tf.layers.bidirectional({ layer: cell, mergeMode: 'concat' }) : cell;
    });
    tf.tidy(() => {
      this.forward(tf.zeros([1, 1, inputDim]) as tf.Tensor3D); // builds the weights
    });
  }

  private get statesPerLayer(): number {
    return (this.options.kind === 'lstm' ? 2 : 1) * (this.options.bidirectional ? 2 : 1);
  }

  forward(X: tf.Tensor3D, state?: EncoderState): EncoderOutput {
    const per = this.options.kind === 'lstm' ? 2 : 1;
    const dirs = this.options.bidirectional ? 2 : 1;
    let h: tf.Tensor = X;
    const finals: EncoderState = [];
    this.layers.forEach((layer, l) => {
      const init = state ? state.slice(l * dirs, (l + 1) * dirs).flat() : undefined;
      const out = layer.apply(h, init ? { initialState: init } : {}) as tf.Tensor[];
      h = out[0]!;
      const states = out.slice(1) as tf.Tensor2D[];
      if (states.length !== this.statesPerLayer) {
        throw new ModelUseError(
          `layer ${l} returned ${states.length} states; expected ${this.statesPerLayer}.`,
        );
      }
      for (let d = 0; d < dirs; d++) finals.push(states.slice(d * per, (d + 1) * per));
    });
    return { outputs: h as tf.Tensor3D, state: finals };
  }

  trainableVariables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  /** Copies a scratch encoder's weights (same kind, sizes, depth and directions) into the layers. */
  setWeightsFrom(scratch: ScratchEncoder): void {
    const a = this.options;
    const b = scratch.options;
    if (
      a.kind !== b.kind ||
      a.inputDim !== b.inputDim ||
      a.numHiddens !== b.numHiddens ||
      a.numLayers !== b.numLayers ||
      a.bidirectional !== b.bidirectional
    ) {
      throw new ModelUseError(
        `cannot copy weights from a scratch ${JSON.stringify(b)} into layers ${JSON.stringify(a)}; ` +
          'create both with the same options.',
      );
    }
    const dirs = a.bidirectional ? 2 : 1;
    this.layers.forEach((layer, l) => {
      const values = scratch.params
        .slice(l * dirs, (l + 1) * dirs)
        .flatMap((p) => layersWeightsOf(a.kind, p));
      layer.setWeights(values);
      tf.dispose(values);
    });
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
