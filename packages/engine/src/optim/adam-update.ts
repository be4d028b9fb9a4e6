/**
 * The fused Adam/AdamW update as one kernel, `DlpipeAdamUpdate`: inputs w, g, m, v; outputs
 * w', m', v'. The native backend runs it in C++; the cpu backend in the JS loop below; other
 * backends have no such kernel and AdamW falls back to tf ops. One kernel per variable instead of
 * about a dozen makes small models' steps much cheaper.
 *
 *   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  w' = w·(1 − lr·λ) − lr·(m'/c1)/(√(v'/c2) + ε)
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap, attrsOf } from '../kernel-args.js';
import * as tf from '../tf.js';

export const ADAM_UPDATE = 'DlpipeAdamUpdate';

export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Bias corrections 1 − β1^t and 1 − β2^t. */
  c1: number;
  c2: number;
  /** Decoupled weight decay λ (0 for Adam). */
  weightDecay: number;
}

/** The attrs as the addon's parameter array. */
export function adamParams(a: AdamUpdateAttrs): number[] {
  return [a.lr, a.beta1, a.beta2, a.epsilon, a.c1, a.c2, a.weightDecay];
}

/** The update on typed arrays (float32 arithmetic rounding as in C++ is not guaranteed: float64 here). */
export function adamUpdateValues(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  a: AdamUpdateAttrs,
): [Float32Array, Float32Array, Float32Array] {
  const n = w.length;
  const w2 = new Float32Array(n);
  const m2 = new Float32Array(n);
  const v2 = new Float32Array(n);
  const decay = 1 - a.lr * a.weightDecay;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = a.beta1 * m[i]! + (1 - a.beta1) * gi;
    const vi = a.beta2 * v[i]! + (1 - a.beta2) * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i]! * decay - (a.lr * (mi / a.c1)) / (Math.sqrt(vi / a.c2) + a.epsilon);
  }
  return [w2, m2, v2];
}

function cpuAdamUpdate({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const b = backend as MathBackendCPU;
  const { w, g, m, v } = inputs as Record<string, tf.TensorInfo>;
  const read = (t: tf.TensorInfo) => b.data.get(t.dataId)!.values as Float32Array;
  const outs = adamUpdateValues(read(w!), read(g!), read(m!), read(v!), attrsOf<AdamUpdateAttrs>(attrs));
  return outs.map((o) => b.makeTensorInfo(w!.shape, 'float32', o));
}

/** Registers the JS kernel for the cpu backend (idempotent). */
export function registerAdamUpdateCpu(): void {
  if (!tf.getKernel(ADAM_UPDATE, 'cpu')) {
    tf.registerKernel({
      kernelName: ADAM_UPDATE,
      backendName: 'cpu',
      kernelFunc: cpuAdamUpdate as tf.KernelFunc,
    });
  }
}
registerAdamUpdateCpu();

/** True when the active backend has the fused kernel. */
export function hasFusedAdam(): boolean {
  return tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
}

/** Runs the fused update and assigns w, m, v; all inputs float32 of one shape. */
export function fusedAdamStep(
  w: tf.Variable,
  g: tf.Tensor,
  m: tf.Variable,
  v: tf.Variable,
  a: AdamUpdateAttrs,
): void {
  const outs = tf.engine().runKernel(ADAM_UPDATE, { w, g, m, v }, asAttrMap(a)) as tf.Tensor[];
  w.assign(outs[0]!);
  m.assign(outs[1]!);
  v.assign(outs[2]!);
  tf.dispose(outs);
}
