/**
 * Saving an op's tensors for its gradient without a kernel and a tape node each. tfjs's engine
 * saves them with `engine.clone`: an Identity kernel dispatch plus a tape node (so that a gradient
 * could flow through the copy), for every saved input and output of every recorded op — 412 of
 * the 1,219 kernels of a d2l Transformer training step, and as many tape nodes for
 * `getFilteredNodesXToY` to walk. When only first-order gradients are being recorded (gradient
 * depth 1: the backward pass itself is not recorded), nothing can flow through the copies, so a
 * copy is a new tensor handle on the same storage (what the Identity kernel does: one more
 * reference to the data), made directly. Higher-order gradients keep tfjs's clones.
 * `DLPIPE_LIGHT_SAVE=0` turns it off.
 *
 *   tf.variableGrads(loss);   // the tape holds the ops, not one Identity per saved tensor
 */
import * as tfc from '@tensorflow/tfjs';

interface BackendLike {
  incRef?(dataId: tfc.DataId): void;
}

interface EngineLike {
  state: {
    gradientDepth: number;
    tensorInfo: { get(dataId: tfc.DataId): { backend: BackendLike } | undefined };
  };
  keep<T extends tfc.Tensor>(t: T): T;
  makeTensorFromTensorInfo(info: tfc.TensorInfo, backend: BackendLike): tfc.Tensor;
  saveTensorsForBackwardMode(tensors: tfc.Tensor[]): tfc.Tensor[];
}

let enabled = process.env.DLPIPE_LIGHT_SAVE !== '0';

/** Turns the light saving on or off; returns the previous setting (for comparisons and tests). */
export function setLightSave(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

let installed = false;

/** Wraps tfjs's engine (idempotent); see the file header. */
export function installLightSave(): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(tfc.engine()) as EngineLike;
  const save = proto.saveTensorsForBackwardMode;
  proto.saveTensorsForBackwardMode = function (this: EngineLike, tensors: tfc.Tensor[]) {
    if (!enabled || this.state.gradientDepth > 1) return save.call(this, tensors);
    return tensors.map((t) => {
      const backend = this.state.tensorInfo.get(t.dataId)?.backend;
      if (!backend?.incRef || t.isDisposed) return save.call(this, [t])[0]!;
      backend.incRef(t.dataId);
      return this.keep(
        this.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend),
      );
    });
  };
}

installLightSave();
