/**
 * RNN, GRU and LSTM cells written from tf ops as d2l does (chapters 9.5, 10.1, 10.2): one time
 * step of each, on parameters named as in the book (`W_xz`, `W_hz`, `b_z`, …), plus their
 * initialization (d2l: weights ~ N(0, σ²), biases 0) as `tf.variable`s. Each step also exists in
 * a form taking the input projections X W_x + b precomputed (`projectInputs`), as the encoder runs.
 *
 *   const p = initCellParams('gru', 28, 32);
 *   const [H] = gruStep(X, [H0], p);            // X [batch, 28], H0 [batch, 32]
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';

export const CELL_KINDS = ['rnn', 'gru', 'lstm'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/**
 * Gate names per cell, in the order tfjs-layers concatenates them in its kernels
 * (SimpleRNNCell: h; GRUCell: z, r, h; LSTMCell: i, f, c, o).
 */
export const CELL_GATES: Readonly<Record<CellKind, readonly string[]>> = {
  rnn: ['h'],
  gru: ['z', 'r', 'h'],
  lstm: ['i', 'f', 'c', 'o'],
};

/** A cell's parameters by d2l name: `W_x<g>` [inputDim, H], `W_h<g>` [H, H], `b_<g>` [H] per gate g. */
export type CellParams = Readonly<Record<string, tf.Tensor>>;

/** A cell's state: [H] for RNN and GRU, [H, C] for LSTM, each [batch, numHiddens]. */
export type CellState = tf.Tensor2D[];

/** Parameter names of a cell, gate by gate (W_x, W_h, b per gate). */
export function cellParamNames(kind: CellKind): string[] {
  return CELL_GATES[kind].flatMap((g) => [`W_x${g}`, `W_h${g}`, `b_${g}`]);
}

function param(p: CellParams, name: string): tf.Tensor {
  const t = p[name];
  if (!t) {
    throw new ModelUseError(
      `cell parameter '${name}' is missing; received ${Object.keys(p).join(', ') || 'none'}. ` +
        'Create the parameters with initCellParams(kind, …) for the same cell kind.',
    );
  }
  return t;
}

/**
 * X W_x<g> + b_<g> for every gate g: the input half of each gate's pre-activation. The encoder
 * computes it for all time steps in one matmul per gate before its loop (as cuDNN and PyTorch do);
 * the recurrent half H W_h<g> must wait for the previous step.
 */
export type GateInputs = Readonly<Record<string, tf.Tensor2D>>;

/** The input projections of X [rows, inputDim] for every gate of a cell (rows: batch, or batch × steps). */
export function projectInputs(kind: CellKind, X: tf.Tensor2D, p: CellParams): GateInputs {
  return Object.fromEntries(
    CELL_GATES[kind].map((g) => [g, tf.add(tf.matMul(X, param(p, `W_x${g}`)), param(p, `b_${g}`))]),
  );
}

/** One gate's pre-activation from its input projection: XW_<g> + H W_h<g>. */
function gate(x: GateInputs, H: tf.Tensor2D, p: CellParams, g: string): tf.Tensor2D {
  const xg = x[g];
  if (!xg) throw new ModelUseError(`input projection of gate '${g}' is missing; use projectInputs().`);
  return tf.add(xg, tf.matMul(H, param(p, `W_h${g}`)));
}

function stateAt(state: CellState, i: number, kind: CellKind): tf.Tensor2D {
  const s = state[i];
  if (!s)
    throw new ModelUseError(
      `a ${kind} cell needs ${kind === 'lstm' ? 2 : 1} state tensors; got ${state.length}.`,
    );
  return s;
}

/** A cell step from precomputed input projections (see `projectInputs`). */
export type ProjectedStep = (x: GateInputs, state: CellState, p: CellParams) => CellState;

/** d2l 9.5: H = tanh(X W_xh + H W_hh + b_h). */
export const rnnStepProjected: ProjectedStep = (x, state, p) => [
  tf.tanh(gate(x, stateAt(state, 0, 'rnn'), p, 'h')),
];

/** d2l 10.2: Z, R = σ(…); H̃ = tanh(X W_xh + (R⊙H) W_hh + b_h); H = Z⊙H + (1−Z)⊙H̃. */
export const gruStepProjected: ProjectedStep = (x, state, p) => {
  const H = stateAt(state, 0, 'gru');
  const Z = tf.sigmoid(gate(x, H, p, 'z'));
  const R = tf.sigmoid(gate(x, H, p, 'r'));
  const HTilde = tf.tanh(gate(x, tf.mul(R, H), p, 'h'));
  return [tf.add(tf.mul(Z, H), tf.mul(tf.sub(1, Z), HTilde))];
};

/** d2l 10.1: I, F, O = σ(…); C̃ = tanh(…); C = F⊙C + I⊙C̃; H = O⊙tanh(C). */
export const lstmStepProjected: ProjectedStep = (x, state, p) => {
  const H = stateAt(state, 0, 'lstm');
  const C = stateAt(state, 1, 'lstm');
  const I = tf.sigmoid(gate(x, H, p, 'i'));
  const F = tf.sigmoid(gate(x, H, p, 'f'));
  const O = tf.sigmoid(gate(x, H, p, 'o'));
  const CTilde = tf.tanh(gate(x, H, p, 'c'));
  const CNext = tf.add(tf.mul(F, C), tf.mul(I, CTilde)) as tf.Tensor2D;
  return [tf.mul(O, tf.tanh(CNext)), CNext];
};

export const CELL_STEPS_PROJECTED: Readonly<Record<CellKind, ProjectedStep>> = {
  rnn: rnnStepProjected,
  gru: gruStepProjected,
  lstm: lstmStepProjected,
};

/** d2l 9.5: one RNN step on input X [batch, inputDim]. */
export function rnnStep(X: tf.Tensor2D, state: CellState, p: CellParams): CellState {
  return rnnStepProjected(projectInputs('rnn', X, p), state, p);
}

/** d2l 10.2: one GRU step on input X [batch, inputDim]. */
export function gruStep(X: tf.Tensor2D, state: CellState, p: CellParams): CellState {
  return gruStepProjected(projectInputs('gru', X, p), state, p);
}

/** d2l 10.1: one LSTM step on input X [batch, inputDim]. */
export function lstmStep(X: tf.Tensor2D, state: CellState, p: CellParams): CellState {
  return lstmStepProjected(projectInputs('lstm', X, p), state, p);
}

export const CELL_STEPS: Readonly<
  Record<CellKind, (X: tf.Tensor2D, state: CellState, p: CellParams) => CellState>
> = { rnn: rnnStep, gru: gruStep, lstm: lstmStep };

/** The zero state of a cell for a batch. */
export function zeroState(kind: CellKind, batchSize: number, numHiddens: number): CellState {
  const n = kind === 'lstm' ? 2 : 1;
  return Array.from({ length: n }, () => tf.zeros([batchSize, numHiddens]) as tf.Tensor2D);
}

/**
 * d2l's initialization: W ~ N(0, sigma²) (default sigma 0.01), b = 0, as trainable variables
 * (tfjs names them uniquely; two models never collide).
 */
export function initCellParams(
  kind: CellKind,
  inputDim: number,
  numHiddens: number,
  sigma = 0.01,
): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  const normal = (shape: [number, number]) => tf.variable(tf.randomNormal(shape, 0, sigma));
  for (const g of CELL_GATES[kind]) {
    out[`W_x${g}`] = normal([inputDim, numHiddens]);
    out[`W_h${g}`] = normal([numHiddens, numHiddens]);
    out[`b_${g}`] = tf.variable(tf.zeros([numHiddens]));
  }
  return out;
}
