/**
 * A multi-layer GRU with PyTorch's `nn.GRU` conventions, the recurrent layer of d2l's seq2seq
 * models (§10.7, §11.4), so their numbers can be checked against PyTorch with the same weights:
 *
 *   r = σ(x W_ir + b_ir + h W_hr + b_hr)      z = σ(x W_iz + b_iz + h W_hz + b_hz)
 *   n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))      h' = (1 − z) ⊙ n + z ⊙ h
 *
 * The reset gate multiplies h W_hn + b_hn (after the matmul, with its own bias), which d2l's
 * from-scratch `gruStep` (rnn/cells.ts: (R ⊙ H) W_hh) does not, hence this layer. Per layer the
 * kernels are `W_ih_l<k>` [inputDim, 3H] and `W_hh_l<k>` [H, 3H] (PyTorch's `weight_ih_l<k>`
 * transposed, gates r|z|n), biases `b_ih_l<k>`, `b_hh_l<k>` [3H]. Initialized as d2l's
 * `init_seq2seq`: kernels Xavier-uniform, biases PyTorch's U(±1/√H). Dropout between layers
 * while training, as `nn.GRU(dropout=…)`.
 *
 *   const rnn = new StackedGRU({ inputDim: 8, numHiddens: 16, numLayers: 2 });
 *   const { outputs, state } = rnn.forward(X, rnn.zeroState(4), false);  // X [4, 9, 8] → [4, 9, 16]
 *   const next = rnn.step(x, state, false);                               // x [4, 8]: one time step
 */
import { zodMessage } from '@dlpipe/core';
import { dropout, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ModelUseError } from '../errors.js';

export interface StackedGRUOptions {
  /** Features per time step of the input. */
  inputDim: number;
  /** Hidden units per layer (H). */
  numHiddens: number;
  /** Stacked layers. Default 1. */
  numLayers?: number;
  /** Dropout on each layer's outputs but the last's, while training. Default 0. */
  dropout?: number;
}

export const stackedGRUOptionsSchema = z.object({
  inputDim: z.number().int().positive(),
  numHiddens: z.number().int().positive(),
  numLayers: z.number().int().positive().default(1),
  dropout: z.number().min(0).max(1).default(0),
});

/** One layer's weights (see the file header). */
interface GRUWeights {
  W_ih: tf.Variable;
  W_hh: tf.Variable;
  b_ih: tf.Variable;
  b_hh: tf.Variable;
}

function uniformVariable(shape: number[], bound: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -bound, bound)));
}

/** d2l's `init_seq2seq` for one layer: Xavier-uniform kernels (fans of [3H, in]), U(±1/√H) biases. */
function initLayer(inputDim: number, H: number): GRUWeights {
  return {
    W_ih: uniformVariable([inputDim, 3 * H], Math.sqrt(6 / (inputDim + 3 * H))),
    W_hh: uniformVariable([H, 3 * H], Math.sqrt(6 / (H + 3 * H))),
    b_ih: uniformVariable([3 * H], 1 / Math.sqrt(H)),
    b_hh: uniformVariable([3 * H], 1 / Math.sqrt(H)),
  };
}

/** One GRU step from the input projection gi = x W_ih + b_ih [B, 3H], split r|z|n. */
function gruCell(gi: tf.Tensor2D[], h: tf.Tensor2D, w: GRUWeights): tf.Tensor2D {
  const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, w.W_hh), w.b_hh), 3, 1) as tf.Tensor2D[];
  const r = tf.sigmoid(tf.add(gi[0]!, hr!));
  const z = tf.sigmoid(tf.add(gi[1]!, hz!));
  const n = tf.tanh(tf.add(gi[2]!, tf.mul(r, hn!)));
  return tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D; // (1 − z) n + z h
}

export class StackedGRU {
  readonly options: Readonly<z.output<typeof stackedGRUOptionsSchema>>;
  private readonly layers: GRUWeights[];

  constructor(options: StackedGRUOptions) {
    const r = stackedGRUOptionsSchema.safeParse(options);
    if (!r.success) throw new ModelUseError(`${zodMessage('StackedGRU options', r.error)}.`);
    this.options = r.data;
    const { inputDim, numHiddens, numLayers } = r.data;
    this.layers = Array.from({ length: numLayers }, (_, l) =>
      initLayer(l === 0 ? inputDim : numHiddens, numHiddens),
    );
  }

  /** Zeros [B, H] per layer. */
  zeroState(batchSize: number): tf.Tensor2D[] {
    return this.layers.map(() => tf.zeros([batchSize, this.options.numHiddens]) as tf.Tensor2D);
  }

  private checkState(state: readonly tf.Tensor2D[], batch: number): void {
    const { numLayers, numHiddens } = this.options;
    const bad = state.length !== numLayers || state.some((s) => s.shape.join() !== `${batch},${numHiddens}`);
    if (bad) {
      throw new ModelUseError(
        `StackedGRU: the state must be ${numLayers} tensors of shape [${batch}, ${numHiddens}] (one per layer), ` +
          `got [${state.map((s) => `[${s.shape}]`).join(', ')}]; start from zeroState(${batch}) or an encoder state.`,
      );
    }
  }

  private checkInput(X: tf.Tensor, rank: number): void {
    const want = this.options.inputDim;
    if (X.rank !== rank || X.shape[rank - 1] !== want) {
      const dims = rank === 3 ? `[batch, steps, ${want}]` : `[batch, ${want}]`;
      throw new ModelUseError(`StackedGRU: the input must be ${dims}, got shape [${X.shape}].`);
    }
  }

  /** X [B, T, inputDim] from `state` (one [B, H] per layer) → outputs [B, T, H] of the last layer, final states. */
  forward(
    X: tf.Tensor3D,
    state: readonly tf.Tensor2D[],
    training: boolean,
  ): { outputs: tf.Tensor3D; state: tf.Tensor2D[] } {
    this.checkInput(X, 3);
    const [B, T] = X.shape;
    this.checkState(state, B);
    const H = this.options.numHiddens;
    const finals: tf.Tensor2D[] = [];
    // Time-major rows: step t is rows [t·B, (t + 1)·B); each layer projects all its steps at once.
    let seq = tf.reshape(tf.transpose(X, [1, 0, 2]), [T * B, -1]) as tf.Tensor2D;
    this.layers.forEach((w, l) => {
      if (l > 0) seq = dropout(seq, this.options.dropout, { training });
      const gi = tf.split(tf.add(tf.matMul(seq, w.W_ih), w.b_ih), 3, 1) as tf.Tensor2D[];
      const perStep = gi.map((g) => tf.split(g, T, 0) as tf.Tensor2D[]);
      let h = state[l]!;
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        h = gruCell([perStep[0]![t]!, perStep[1]![t]!, perStep[2]![t]!], h, w);
        outs.push(h);
      }
      finals.push(h);
      seq = T === 1 ? outs[0]! : (tf.concat(outs, 0) as tf.Tensor2D);
    });
    const outputs = tf.transpose(tf.reshape(seq, [T, B, H]), [1, 0, 2]) as tf.Tensor3D;
    return { outputs, state: finals };
  }

  /** One time step: x [B, inputDim] → the new state (one [B, H] per layer; the last is the output). */
  step(x: tf.Tensor2D, state: readonly tf.Tensor2D[], training: boolean): tf.Tensor2D[] {
    this.checkInput(x, 2);
    this.checkState(state, x.shape[0]);
    let input = x;
    return this.layers.map((w, l) => {
      if (l > 0) input = dropout(input, this.options.dropout, { training });
      const gi = tf.split(tf.add(tf.matMul(input, w.W_ih), w.b_ih), 3, 1) as tf.Tensor2D[];
      input = gruCell(gi, state[l]!, w);
      return input;
    });
  }

  /** `W_ih_l0`, `W_hh_l0`, `b_ih_l0`, `b_hh_l0`, `W_ih_l1`, … */
  namedWeights(): Record<string, tf.Variable> {
    return Object.fromEntries(
      this.layers.flatMap((w, l) => Object.entries(w).map(([k, v]) => [`${k}_l${l}`, v as tf.Variable])),
    );
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  dispose(): void {
    tf.dispose(this.trainableVariables());
  }
}
