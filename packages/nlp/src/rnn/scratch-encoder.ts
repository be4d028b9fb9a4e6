/**
 * The recurrent encoder from tf ops (d2l's `RNNScratch`, `GRUScratch`, `LSTMScratch`, deep and
 * bidirectional): a loop over time steps of the cell step functions, on `tf.variable`s (a GRU or
 * LSTM layer on the native backend: one sequence kernel, `gruSequence` / `lstmSequence`, forward
 * and backward). As cuDNN
 * and PyTorch do, each layer first projects its whole input sequence for every gate in one matmul
 * (X W_x + b), so the loop only adds H W_h; it works time-major ([steps · batch, …] rows), where
 * per-step pieces are contiguous row blocks, and transposes back to [batch, steps, …] at the end.
 *
 *   const enc = new ScratchEncoder({ kind: 'lstm', inputDim: 28, numHiddens: 32, numLayers: 2 });
 *   const { outputs, state } = enc.forward(X);       // X [batch, steps, 28]
 */
import { gruSequence, hasGruSequenceKernel, hasLstmSequenceKernel, lstmSequence, tf } from '@dlpipe/tensor';
import {
  CELL_GATES,
  CELL_STEPS_PROJECTED,
  type CellKind,
  type CellParams,
  type CellState,
  type GateInputs,
  initCellParams,
  zeroState,
} from './cells.js';
import {
  type EncoderOutput,
  type EncoderState,
  type RecurrentEncoder,
  type RecurrentOptions,
  resolveRecurrentOptions,
} from './encoder.js';

/**
 * Input projections of a whole sequence, split into time steps: `parts` are the layer's inputs
 * [steps · batch, d_i] side by side (a bidirectional layer below gives two), so X W_x is the sum
 * of each part times its block of rows of W_x, with no concatenation along features.
 */
function projectSequence(kind: CellKind, parts: tf.Tensor2D[], p: CellParams, steps: number): GateInputs[] {
  const perGate = CELL_GATES[kind].map((g) => {
    const W = p[`W_x${g}`] as tf.Tensor2D;
    let row = 0;
    const terms = parts.map((x) => {
      const d = x.shape[1];
      const block = parts.length === 1 ? W : tf.slice(W, [row, 0], [d, -1]);
      row += d;
      return tf.matMul(x, block);
    });
    const xw = tf.add(terms.length === 1 ? terms[0]! : tf.addN(terms), p[`b_${g}`]!) as tf.Tensor2D;
    return tf.split(xw, steps, 0) as tf.Tensor2D[];
  });
  return Array.from({ length: steps }, (_, t) =>
    Object.fromEntries(CELL_GATES[kind].map((g, k) => [g, perGate[k]![t]!])),
  );
}

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
  private run(xs: GateInputs[], state: CellState, p: CellParams, reverse: boolean) {
    const step = CELL_STEPS_PROJECTED[this.options.kind];
    const outs: tf.Tensor2D[] = new Array(xs.length);
    let s = state;
    for (let k = 0; k < xs.length; k++) {
      const t = reverse ? xs.length - 1 - k : k;
      s = step(xs[t]!, s, p);
      outs[t] = s[0]!;
    }
    return { outs, state: s };
  }

  /** Whether this cell kind runs as one sequence kernel here (GRU, LSTM on the native backend). */
  private get sequenceKernel(): boolean {
    const { kind } = this.options;
    return (kind === 'gru' && hasGruSequenceKernel()) || (kind === 'lstm' && hasLstmSequenceKernel());
  }

  /**
   * One direction of one GRU or LSTM layer as a single sequence op (`gruSequence`,
   * `lstmSequence`: one native kernel forward and one backward through time): all hidden states
   * [steps · batch, H] in time order, and the final state.
   */
  private runSequence(parts: tf.Tensor2D[], init: CellState, p: CellParams, steps: number, reverse: boolean) {
    const { kind, numHiddens: H } = this.options;
    const gates = CELL_GATES[kind];
    const G = gates.length;
    const batch = init[0]!.shape[0];
    const cat = (prefix: string, axis: number) =>
      tf.concat(
        gates.map((g) => p[`${prefix}${g}`]!),
        axis,
      );
    const Wx = cat('W_x', 1) as tf.Tensor2D;
    let row = 0;
    const terms = parts.map((x) => {
      const d = x.shape[1];
      const block = parts.length === 1 ? Wx : tf.slice(Wx, [row, 0], [d, -1]);
      row += d;
      return tf.matMul(x, block);
    });
    const timeReversed = (t: tf.Tensor2D, width: number) =>
      tf.reshape(tf.reverse(tf.reshape(t, [steps, batch, width]), 0), [steps * batch, width]) as tf.Tensor2D;
    let xp = tf.add(terms.length === 1 ? terms[0]! : tf.addN(terms), cat('b_', 0)) as tf.Tensor2D;
    if (reverse) xp = timeReversed(xp, G * H);
    const wh = cat('W_h', 1) as tf.Tensor2D;
    const lastOf = (t: tf.Tensor2D) => tf.slice(t, [(steps - 1) * batch, 0], [batch, H]) as tf.Tensor2D;
    let hs: tf.Tensor2D;
    let state: CellState;
    if (kind === 'lstm') {
      const r = lstmSequence(xp, init[0]!, init[1]!, wh, steps);
      hs = r.hs;
      state = [lastOf(r.hs), lastOf(r.cs)];
    } else {
      hs = gruSequence(xp, init[0]!, wh, steps);
      state = [lastOf(hs)];
    }
    return { seq: reverse ? timeReversed(hs, H) : hs, state };
  }

  forward(X: tf.Tensor3D, state?: EncoderState): EncoderOutput {
    const { kind, numHiddens, numLayers } = this.options;
    const [batch, steps, inputDim] = X.shape;
    const dirs = this.directions;
    // Time-major rows: step t is rows [t · batch, (t + 1) · batch).
    let parts: tf.Tensor2D[] = [tf.reshape(tf.transpose(X, [1, 0, 2]), [steps * batch, inputDim])];
    const finals: EncoderState = [];
    for (let l = 0; l < numLayers; l++) {
      const next: tf.Tensor2D[] = [];
      for (let d = 0; d < dirs; d++) {
        const i = l * dirs + d;
        const p = this.params[i]!;
        const init = state?.[i] ?? zeroState(kind, batch, numHiddens);
        if (this.sequenceKernel) {
          const r = this.runSequence(parts, init, p, steps, d === 1);
          next.push(r.seq);
          finals.push(r.state);
          continue;
        }
        const r = this.run(projectSequence(kind, parts, p, steps), init, p, d === 1);
        next.push(tf.concat(r.outs, 0) as tf.Tensor2D);
        finals.push(r.state);
      }
      parts = next;
    }
    const seq = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
    const outputs = tf.transpose(tf.reshape(seq, [steps, batch, numHiddens * dirs]), [1, 0, 2]);
    return { outputs: outputs as tf.Tensor3D, state: finals };
  }

  trainableVariables(): tf.Variable[] {
    return this.params.flatMap((p) => Object.values(p));
  }

  dispose(): void {
    tf.dispose(this.trainableVariables());
  }
}
