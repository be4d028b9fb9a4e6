/**
 * Routes the gradients of Relu, Relu6, LeakyRelu, Sigmoid, Tanh, Square and Softmax through the fused
 * kernels of activation-grads.ts, and gives those kernels gradients of their own (second order).
 * The gradient registry is global: an override uses the fused kernel only where the current
 * backend has it and the tensors are float32, and tfjs's own gradient everywhere else (wasm,
 * webgl, tensorflow, int32 activations), with the same values.
 *
 *   registerActivationGrads();                 // once, when the native backend registers
 *   tf.grad((x) => tf.relu(x).sum())(x);       // Relu's gradient: one DlpipeReluGrad kernel
 */

import { BackendError } from '../../../errors.js';
import * as tf from '../../../tf.js';
import { type ActivationGradName, jsActivationGradKernels, SOFTMAX_GRAD } from './activation-grads.js';

/** Whether the current backend runs `kernel` and every tensor is float32. */
function usable(kernel: string, ...ts: tf.Tensor[]): boolean {
  return ts.every((t) => t.dtype === 'float32') && tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor;
}

interface Override {
  /** The forward kernel whose gradient is replaced. */
  forward: string;
  kernel: ActivationGradName | typeof SOFTMAX_GRAD;
  /** The forward input's name in the gradient result. */
  input: 'x' | 'logits';
  /** The saved tensor: the forward input x, or its output y. */
  saves: 'x' | 'y';
  /** Forward attributes the fused kernel needs. */
  attrs?: (attrs: tf.NamedAttrMap) => tf.NamedAttrMap;
}

const OVERRIDES: Override[] = [
  { forward: tf.Relu, kernel: 'DlpipeReluGrad', input: 'x', saves: 'x' },
  { forward: tf.Relu6, kernel: 'DlpipeRelu6Grad', input: 'x', saves: 'x' },
  {
    forward: tf.LeakyRelu,
    kernel: 'DlpipeLeakyReluGrad',
    input: 'x',
    saves: 'x',
    attrs: (a) => ({ alpha: a.alpha as number }),
  },
  { forward: tf.Sigmoid, kernel: 'DlpipeSigmoidGrad', input: 'x', saves: 'y' },
  { forward: tf.Tanh, kernel: 'DlpipeTanhGrad', input: 'x', saves: 'y' },
  { forward: tf.Square, kernel: 'DlpipeSquareGrad', input: 'x', saves: 'x' },
  { forward: tf.Softmax, kernel: SOFTMAX_GRAD, input: 'logits', saves: 'y' },
];

const originals = new Map<string, tf.GradConfig>();

/** tfjs's own gradient of `kernelName`, once `registerActivationGrads` has replaced it (for tests). */
export function tfjsActivationGrad(kernelName: string): tf.GradConfig | undefined {
  return originals.get(kernelName);
}

function override(o: Override): void {
  const original = tf.getGradient(o.forward);
  if (!original)
    throw new BackendError(
      `tfjs has no gradient for ${o.forward} to replace; reinstall the pinned @tensorflow/tfjs-core (pnpm install)`,
      { exitCode: 1 },
    );
  originals.set(o.forward, original);
  tf.registerGradient({
    kernelName: o.forward,
    inputsToSave: o.saves === 'x' ? [o.input] : [],
    outputsToSave: o.saves === 'y' ? [true] : [],
    gradFunc: (dy, saved, attrs) => {
      const [v] = saved as [tf.Tensor];
      const g = dy as tf.Tensor;
      const lastAxis = o.forward !== tf.Softmax || (attrs.dim as number) === v.rank - 1 || attrs.dim === -1;
      if (!lastAxis || !usable(o.kernel, g, v)) return original.gradFunc(dy, saved, attrs);
      const inputs: tf.NamedTensorMap = { dy: g, [o.saves]: v };
      return { [o.input]: () => run(o.kernel, inputs, o.attrs?.(attrs)) };
    },
  });
}

/** Second-order gradients: of the fused kernels themselves (as tfjs differentiates its ops). */
function registerSecondOrder(): void {
  const masks: ActivationGradName[] = ['DlpipeReluGrad', 'DlpipeRelu6Grad', 'DlpipeLeakyReluGrad'];
  for (const kernel of masks) {
    tf.registerGradient({
      kernelName: kernel,
      inputsToSave: ['x'],
      gradFunc: (g, [x], attrs) => ({
        dy: () => run(kernel, { dy: g as tf.Tensor, x: x! }, attrs),
        x: () => tf.zerosLike(x!),
      }),
    });
  }
  tf.registerGradient({
    kernelName: 'DlpipeSquareGrad',
    inputsToSave: ['dy', 'x'],
    gradFunc: (g, [dy, x]) => ({
      dy: () => run('DlpipeSquareGrad', { dy: g as tf.Tensor, x: x! }),
      x: () => tf.mul(tf.mul(g as tf.Tensor, dy!), 2),
    }),
  });
  tf.registerGradient({
    kernelName: 'DlpipeSigmoidGrad',
    inputsToSave: ['dy', 'y'],
    gradFunc: (g, [dy, y]) => ({
      dy: () => run('DlpipeSigmoidGrad', { dy: g as tf.Tensor, y: y! }),
      y: () => tf.mul(tf.mul(g as tf.Tensor, dy!), tf.sub(1, tf.mul(2, y!))),
    }),
  });
  tf.registerGradient({
    kernelName: 'DlpipeTanhGrad',
    inputsToSave: ['dy', 'y'],
    gradFunc: (g, [dy, y]) => ({
      dy: () => run('DlpipeTanhGrad', { dy: g as tf.Tensor, y: y! }),
      y: () => tf.mul(tf.mul(-2, g as tf.Tensor), tf.mul(dy!, y!)),
    }),
  });
  tf.registerGradient({
    kernelName: SOFTMAX_GRAD,
    inputsToSave: ['dy', 'y'],
    gradFunc: (g, [dy, y]) => ({
      dy: () => run(SOFTMAX_GRAD, { dy: g as tf.Tensor, y: y! }),
      // ∂/∂y_k = g_k·(dy_k − Σ dy·y) − dy_k·Σ g·y
      y: () => {
        const G = g as tf.Tensor;
        const s = tf.sum(tf.mul(dy!, y!), -1, true);
        const t = tf.sum(tf.mul(G, y!), -1, true);
        return tf.sub(tf.mul(G, tf.sub(dy!, s)), tf.mul(dy!, t));
      },
    }),
  });
}

/**
 * Registers the JS fused-gradient kernels for 'cpu' (the native ones come with the native
 * backend's kernels) and overrides the seven gradients. Idempotent.
 */
export function registerActivationGrads(): void {
  for (const [backendName, kernels] of Object.entries(jsActivationGradKernels())) {
    for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
      if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
  if (originals.size > 0) return;
  for (const o of OVERRIDES) override(o);
  registerSecondOrder();
}
