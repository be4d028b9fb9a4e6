/**
 * tfjs-layers' GRU and LSTM run as one sequence kernel on the native backend: `tf.layers.gru(…)`
 * / `tf.layers.lstm(…)` (and ones loaded from a saved model, or wrapped in
 * `tf.layers.bidirectional`) keep their class, weights, config and serialization, but `call`
 * hands the whole recurrence to `DlpipeGruSequence` / `DlpipeLstmSequence` — one kernel forward
 * and one backward through time — instead of tfjs's loop of a dozen ops per step. tfjs's cells
 * are d2l's (GRU: reset gate before the recurrent matmul, gates z, r, h; LSTM: gates i, f, c, o),
 * the kernels' cells.
 *
 * Only the plain case is taken, which is what d2l's models use: an eager float32 input
 * [batch, steps, features], no mask, not stateful, no dropout while training, tanh activation and
 * sigmoid recurrent activation (tfjs' default is hardSigmoid, which keeps tfjs's path). Anything
 * else, a backend without the kernel, `setOpFusion(false)` or `DLPIPE_OP_FUSION=0` runs tfjs's own
 * `call`. Installed when this module loads (tf.ts imports it).
 *
 *   const lstm = tf.layers.lstm({ units: 256, recurrentActivation: 'sigmoid', returnSequences: true });
 *   lstm.apply(x);   // [B, T, 256] through the sequence kernel on the native backend
 */
import * as tfc from '@tensorflow/tfjs';
import { GRU_SEQUENCE, LSTM_SEQUENCE } from '../backends/native/kernels/fused-names.js';
import { opFusionEnabled } from './moments-batch-norm.js';

/** The parts of tfjs-layers' GRU/LSTM cells this file reads (they are not exported as types). */
interface CellLike {
  units: number;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  kernel: { read(): tfc.Tensor };
  recurrentKernel: { read(): tfc.Tensor };
  bias: { read(): tfc.Tensor } | null;
}

/** The parts of tfjs-layers' GRU/LSTM layers this file reads. */
interface RecurrentLike {
  cell: CellLike;
  stateful: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Record<string, unknown>): tfc.Tensor | tfc.Tensor[];
}

type Kwargs = Record<string, unknown> | undefined;

/** What differs between the two layers: the kernel, gates per unit, state tensors. */
interface Spec {
  kernel: string;
  gates: number;
  states: number;
}

const GRU: Spec = { kernel: GRU_SEQUENCE, gates: 3, states: 1 };
const LSTM: Spec = { kernel: LSTM_SEQUENCE, gates: 4, states: 2 };

/** The input and first states when this call can run as the sequence kernel, else undefined. */
function fusableCall(spec: Spec, layer: RecurrentLike, inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs) {
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
  if (!opFusionEnabled() || !(x instanceof tfc.Tensor) || x.rank !== 3 || x.dtype !== 'float32') {
    return undefined;
  }
  if (tfc.getKernel(spec.kernel, tfc.getBackend()) === undefined) return undefined;
  const [batch = 0, steps = 0] = x.shape;
  if (batch === 0 || steps === 0 || layer.stateful || kwargs?.mask != null) return undefined;
  const c = layer.cell;
  if (c.activation.getClassName() !== 'tanh' || c.recurrentActivation.getClassName() !== 'sigmoid') {
    return undefined;
  }
  if (kwargs?.training && (c.dropout > 0 || c.recurrentDropout > 0)) return undefined;
  const init = kwargs?.initialState as tfc.Tensor[] | null | undefined;
  if (init != null && (init.length !== spec.states || !init.every((t) => t instanceof tfc.Tensor))) {
    return undefined;
  }
  return { x: x as tfc.Tensor3D, init: init ?? undefined };
}

/** The layer's call through the sequence kernel (the outputs of tfjs's `RNN.call`). */
function fusedCall(
  spec: Spec,
  layer: RecurrentLike,
  x: tfc.Tensor3D,
  init: tfc.Tensor[] | undefined,
): tfc.Tensor | tfc.Tensor[] {
  return tfc.tidy(() => {
    const [B, T, D] = x.shape;
    const H = layer.cell.units;
    const G = spec.gates;
    const timeMajor = tfc.reshape(tfc.transpose(x, [1, 0, 2]), [T * B, D]);
    let xp = tfc.matMul(timeMajor, layer.cell.kernel.read() as tfc.Tensor2D);
    if (layer.cell.useBias && layer.cell.bias) xp = tfc.add(xp, layer.cell.bias.read());
    if (layer.goBackwards) xp = tfc.reshape(tfc.reverse(tfc.reshape(xp, [T, B, G * H]), 0), [T * B, G * H]);
    const first = (i: number) => init?.[i] ?? tfc.zeros([B, H]);
    const inputs: tfc.NamedTensorMap = { xp, h0: first(0), wh: layer.cell.recurrentKernel.read() };
    if (spec.states === 2) inputs.c0 = first(1);
    const outs = tfc.engine().runKernel(spec.kernel, inputs, { steps: T }) as tfc.Tensor[];
    // hs (and cs for the LSTM): the last step's rows are the final states
    const finals = outs.slice(0, spec.states).map((t) => tfc.slice(t, [(T - 1) * B, 0], [B, H]));
    const hs = outs[0]!;
    // Keras returns a backwards layer's sequence in processing order, as tfjs's rnn() does.
    const output = layer.returnSequences ? tfc.transpose(tfc.reshape(hs, [T, B, H]), [1, 0, 2]) : finals[0]!;
    return layer.returnState ? [output, ...finals] : output;
  });
}

let installed = false;

/** Wraps tfjs-layers' `GRU.prototype.call` and `LSTM.prototype.call` (idempotent); see the file header. */
export function installRecurrentLayerFusion(): void {
  if (installed) return;
  installed = true;
  const classes = tfc.serialization.SerializationMap.getMap().classNameMap;
  for (const [name, spec] of [
    ['GRU', GRU],
    ['LSTM', LSTM],
  ] as const) {
    const proto = (classes[name]?.[0] as { prototype?: RecurrentLike } | undefined)?.prototype;
    if (!proto) continue; // a tfjs-layers without it: nothing to wrap
    const original = proto.call;
    proto.call = function call(this: RecurrentLike, inputs, kwargs) {
      const fusable = fusableCall(spec, this, inputs, kwargs);
      return fusable ? fusedCall(spec, this, fusable.x, fusable.init) : original.call(this, inputs, kwargs);
    };
  }
}

installRecurrentLayerFusion();
