/**
 * The fused SGD update (momentum, Nesterov and decoupled weight decay optional) as one kernel,
 * `DlpipeSgdUpdate`: inputs w, g and, with momentum, buf; outputs w' (and buf'). Native runs it
 * in C++, cpu in the JS loop below; elsewhere SGDW falls back to tf ops.
 *
 *   buf' = g on the first step, else μ·buf + g;  d = nesterov ? g + μ·buf' : buf';  w' = w·(1 − lr·λ) − lr·d
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap, attrsOf } from '../kernel-args.js';
import * as tf from '../tf.js';

export const SGD_UPDATE = 'DlpipeSgdUpdate';

export interface SgdUpdateAttrs {
  lr: number;
  /** 0 for plain SGD (then there is no buf). */
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  /** First step: buf' = g (PyTorch's initialization of the momentum buffer). */
  first: boolean;
}

export function sgdParams(a: SgdUpdateAttrs): number[] {
  return [a.lr, a.momentum, a.weightDecay, a.nesterov ? 1 : 0, a.first ? 1 : 0];
}

/** The update on typed arrays; `buf` undefined for plain SGD. */
export function sgdUpdateValues(
  w: Float32Array,
  g: Float32Array,
  buf: Float32Array | undefined,
  a: SgdUpdateAttrs,
): Float32Array[] {
  const n = w.length;
  const w2 = new Float32Array(n);
  const buf2 = buf ? new Float32Array(n) : undefined;
  const decay = 1 - a.lr * a.weightDecay;
  for (let i = 0; i < n; i++) {
    let d = g[i]!;
    if (buf && buf2) {
      const b = a.first ? g[i]! : a.momentum * buf[i]! + g[i]!;
      buf2[i] = b;
      d = a.nesterov ? g[i]! + a.momentum * b : b;
    }
    w2[i] = w[i]! * decay - a.lr * d;
  }
  return buf2 ? [w2, buf2] : [w2];
}

function cpuSgdUpdate({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const b = backend as MathBackendCPU;
  const { w, g, buf } = inputs as Record<string, tf.TensorInfo | undefined>;
  const read = (t: tf.TensorInfo) => b.data.get(t.dataId)!.values as Float32Array;
  const outs = sgdUpdateValues(
    read(w!),
    read(g!),
    buf ? read(buf) : undefined,
    attrsOf<SgdUpdateAttrs>(attrs),
  );
  return outs.map((o) => b.makeTensorInfo(w!.shape, 'float32', o));
}

if (!tf.getKernel(SGD_UPDATE, 'cpu')) {
  tf.registerKernel({
    kernelName: SGD_UPDATE,
    backendName: 'cpu',
    kernelFunc: cpuSgdUpdate as tf.KernelFunc,
  });
}

/** True when the active backend has the fused kernel. */
export function hasFusedSgd(): boolean {
  return tf.getKernel(SGD_UPDATE, tf.getBackend()) !== undefined;
}

/** Runs the fused update and assigns w (and buf). */
export function fusedSgdStep(
  w: tf.Variable,
  g: tf.Tensor,
  buf: tf.Variable | undefined,
  a: SgdUpdateAttrs,
): void {
  const inputs: tf.NamedTensorMap = buf ? { w, g, buf } : { w, g };
  const outs = tf.engine().runKernel(SGD_UPDATE, inputs, asAttrMap(a)) as tf.Tensor[];
  w.assign(outs[0]!);
  if (buf) buf.assign(outs[1]!);
  tf.dispose(outs);
}
