/**
 * The recurrent encoder from tf ops (d2l's `RNNScratch`, `GRUScratch`, `LSTMScratch`, deep and
 * bidirectional): a loop over time steps of the cell step functions, on `tf.variable`s.
 *
 *   const enc = new ScratchEncoder({ kind: 'lstm', inputDim: 28, numHiddens: 32, numLayers: 2 });
 *   const { outputs, state } = enc.forward(X);       // X [batch, steps, 28]
 */
import { tf } from '@dlpipe/tensor';
import { CELL_STEPS, type CellParams, type CellState, initCellParams, zeroState } from './cells.js';
import {
  type EncoderOutput,
  type EncoderState,
  type RecurrentEncoder,
  type RecurrentOptions,
  resolveRecurrentOptions,
} from './encoder.js';

export class ScratchEncoder implements RecurrentEncoder {
  readonly impl = 'scratch' as const;
  readonly options: Readonly<Required<RecurrentOptions>>;
  /** Parameters per layer and direction, index layer·dirs + dir (forward 0, backward 1). */
  readonly params: Record<string, tf.Variable>[];

  constructor(options: RecurrentOptions, sigma = 0.01) {
    this.options = resolveRecurrentOptions(options);
    const { kind, inputDim, numHiddens, numLayers } = this.options;
    const dirs = this.directions;
    this.params = [];
    for (let l = 0; l < numLayers; l++) {
      const inDim = l === 0 ? inputDim : numHiddens * dirs;
      for (let d = 0; d < dirs; d++) this.params.push(initCellParams(kind, inDim, numHiddens, sigma));
    }
  }

  get directions(): 1 | 2 {
    return this.options.bidirectional ? 2 : 1;
  }

  /** One direction of one layer over the steps: outputs per step (in time order), final state. */
  private run(steps: tf.Tensor2D[], state: CellState, p: CellParams, reverse: boolean) {
    const step = CELL_STEPS[this.options.kind];
    const outs: tf.Tensor2D[] = new Array(steps.length);
    let s = state;
    for (let k = 0; k < steps.length; k++) {
      const t = reverse ? steps.length - 1 - k : k;
      s = step(steps[t]!, s, p);
      outs[t] = s[0]!;
    }
    return { outs, state: s };
  }

  forward(X: tf.Tensor3D, state?: EncoderState): EncoderOutput {
    const { kind, numHiddens, numLayers } = this.options;
    const [batch] = X.shape;
    const dirs = this.directions;
    let steps = tf.unstack(X, 1) as tf.Tensor2D[];
    const finals: EncoderState = [];
    for (let l = 0; l < numLayers; l++) {
      const perDir: tf.Tensor2D[][] = [];
      for (let d = 0; d < dirs; d++) {
        const i = l * dirs + d;
        const init = state?.[i] ?? zeroState(kind, batch, numHiddens);
        const r = this.run(steps, init, this.params[i]!, d === 1);
        perDir.push(r.outs);
        finals.push(r.state);
      }
      steps = dirs === 1 ? perDir[0]! : perDir[0]!.map((h, t) => tf.concat([h, perDir[1]![t]!], 1));
    }
    return { outputs: tf.stack(steps, 1) as tf.Tensor3D, state: finals };
  }

  trainableVariables(): tf.Variable[] {
    return this.params.flatMap((p) => Object.values(p));
  }

  dispose(): void {
    tf.dispose(this.trainableVariables());
  }
}
