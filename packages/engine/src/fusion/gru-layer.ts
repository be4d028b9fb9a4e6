/**
 * tfjs-layers' GRU runs as one sequence kernel on the native backend: `tf.layers.gru(…)` (and a
 * GRU loaded from a saved model, or wrapped in `tf.layers.bidirectional`) keeps its class, weights,
 * config and serialization, but its `call` hands the whole recurrence to `DlpipeGruSequence` —
 * one kernel forward and one backward through time — instead of tfjs's loop of a dozen ops per
 * step. tfjs's GRU cell is d2l's (reset gate before the recurrent matmul, gates z, r, h), the
 * kernel's cell.
 *
 * Only the plain case is taken, which is what d2l's models use: an eager float32 input
 * [batch, steps, features], no mask, not stateful, no dropout while training, tanh activation and
 * sigmoid recurrent activation (tfjs' default is hardSigmoid, which keeps tfjs's path). Anything
 * else, a backend without the kernel, `setOpFusion(false)` or `DLPIPE_OP_FUSION=0` runs tfjs's own
 * `call`. Installed when this module loads (tf.ts imports it).
 *
 *   const gru = tf.layers.gru({ units: 256, recurrentActivation: 'sigmoid', returnSequences: true });
 *   gru.apply(x);   // [B, T, 256] through the sequence kernel on the native backend
 */
import * as tfc from '@tensorflow/tfjs';
import { GRU_SEQUENCE } from '../backends/native/kernels/fused-names.js';
import { opFusionEnabled } from './moments-batch-norm.js';

/** The parts of tfjs-layers' GRU and GRUCell this file reads (they are not exported as types). */
interface GruCellLike {
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

interface GruLike {
  cell: GruCellLike;
  stateful: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Record<string, unknown>): tfc.Tensor | tfc.Tensor[];
}

type Kwargs = Record<string, unknown> | undefined;

/** The input and first state when this call can run as the sequence kernel, else undefined. */
function fusableCall(layer: GruLike, inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs) {
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
  if (!opFusionEnabled() || !(x instanceof tfc.Tensor) || x.rank !== 3 || x.dtype !== 'float32')
    return undefined;
  if (tfc.getKernel(GRU_SEQUENCE, tfc.getBackend()) === undefined) return undefined;
  const [batch = 0, steps = 0] = x.shape;
  if (batch === 0 || steps === 0 || layer.stateful || kwargs?.mask != null) return undefined;
  const c = layer.cell;
  if (c.activation.getClassName() !== 'tanh' || c.recurrentActivation.getClassName() !== 'sigmoid')
    return undefined;
  if (kwargs?.training && (c.dropout > 0 || c.recurrentDropout > 0)) return undefined;
  const init = kwargs?.initialState as tfc.Tensor[] | undefined;
  if (init !== undefined && init !== null && (init.length !== 1 || !(init[0] instanceof tfc.Tensor)))
    return undefined;
  return { x: x as tfc.Tensor3D, h0: init?.[0] as tfc.Tensor2D | undefined };
}

/** The layer's call through the sequence kernel (same outputs as tfjs's `RNN.call`). */
function fusedCall(layer: GruLike, x: tfc.Tensor3D, h0: tfc.Tensor2D | undefined): tfc.Tensor | tfc.Tensor[] {
  return tfc.tidy(() => {
    const [B, T, D] = x.shape;
    const H = layer.cell.units;
    const timeMajor = tfc.reshape(tfc.transpose(x, [1, 0, 2]), [T * B, D]);
    let xp = tfc.matMul(timeMajor, layer.cell.kernel.read() as tfc.Tensor2D);
    if (layer.cell.useBias && layer.cell.bias) xp = tfc.add(xp, layer.cell.bias.read());
    if (layer.goBackwards) xp = tfc.reshape(tfc.reverse(tfc.reshape(xp, [T, B, 3 * H]), 0), [T * B, 3 * H]);
    const [hs] = tfc
      .engine()
      .runKernel(
        GRU_SEQUENCE,
        { xp, h0: h0 ?? tfc.zeros([B, H]), wh: layer.cell.recurrentKernel.read() },
        { steps: T },
      ) as tfc.Tensor[];
    const last = tfc.slice(hs!, [(T - 1) * B, 0], [B, H]);
    // Keras returns a backwards layer's sequence in processing order, as tfjs's rnn() does.
    const output = layer.returnSequences ? tfc.transpose(tfc.reshape(hs!, [T, B, H]), [1, 0, 2]) : last;
    return layer.returnState ? [output, last] : output;
  });
}

let installed = false;

/** Wraps tfjs-layers' `GRU.prototype.call` (idempotent); see the file header. */
export function installGruLayerFusion(): void {
  if (installed) return;
  const entry = tfc.serialization.SerializationMap.getMap().classNameMap.GRU;
  const proto = (entry?.[0] as { prototype?: GruLike } | undefined)?.prototype;
  if (!proto) return; // tfjs-layers without a GRU: nothing to wrap
  installed = true;
  const original = proto.call;
  proto.call = function call(this: GruLike, inputs, kwargs) {
    const fusable = fusableCall(this, inputs, kwargs);
    return fusable ? fusedCall(this, fusable.x, fusable.h0) : original.call(this, inputs, kwargs);
  };
}

installGruLayerFusion();
