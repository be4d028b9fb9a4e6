/**
 * Fused activation gradients: one kernel each where tfjs's gradient spends two to five
 * (Relu: Step, Cast, Multiply; Sigmoid: Sub, Multiply ×2; Softmax: Multiply ×2, Sum, Sub;
 * Square, as in every batch-norm's variance: Multiply ×2 at full size). Each
 * kernel does tfjs's arithmetic in tfjs's order (float32 rounding after every op, row sums in
 * float64), natively on 'native' (native/src/eltwise.cc, softmax.cc) and in plain JS on 'cpu'. Not
 * on 'wasm': there tfjs's own gradient on XNNPACK's ops is 2.5–5× faster than a JS kernel that
 * copies out of and back into wasm memory (measured on Relu, Sigmoid, Square grads of 1–2.4M
 * elements), so the override leaves wasm on it. The overrides live in activation-grad-registry.ts.
 *
 *   tf.engine().runKernel('DlpipeSigmoidGrad', { dy, y });   // dy · y · (1 − y)
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { noteFallback } from '../dispatch-counts.js';
import { GRAD_CODES } from './math-codes.js';
import { f32, type KernelArgs, outArray, output, type TensorInfo, whyNotF32 } from './util.js';

/** The elementwise fused gradients: kernel name → (code, input holding x or y). */
export const ACTIVATION_GRADS = {
  DlpipeReluGrad: { code: GRAD_CODES.relu, saved: 'x' },
  DlpipeRelu6Grad: { code: GRAD_CODES.relu6, saved: 'x' },
  DlpipeLeakyReluGrad: { code: GRAD_CODES.leakyRelu, saved: 'x' },
  DlpipeSigmoidGrad: { code: GRAD_CODES.sigmoid, saved: 'y' },
  DlpipeTanhGrad: { code: GRAD_CODES.tanh, saved: 'y' },
  DlpipeSquareGrad: { code: GRAD_CODES.square, saved: 'x' },
} as const;
export type ActivationGradName = keyof typeof ACTIVATION_GRADS;
export const SOFTMAX_GRAD = 'DlpipeSoftmaxGrad';

const f = Math.fround;

/** One element of each elementwise gradient, as tfjs computes it (dy, x or y, LeakyRelu's alpha). */
const ELEMENT: Record<ActivationGradName, (d: number, v: number, alpha: number) => number> = {
  DlpipeReluGrad: (d, x) => d * (Number.isNaN(x) ? x : x > 0 ? 1 : 0),
  DlpipeRelu6Grad: (d, x) => d * (Number.isNaN(x) ? x : x > 0 && x <= 6 ? 1 : 0),
  DlpipeLeakyReluGrad: (d, x, alpha) => (x > 0 ? d : d * f(alpha)),
  DlpipeSigmoidGrad: (d, y) => d * f(y * f(1 - y)),
  DlpipeTanhGrad: (d, y) => f(1 - f(y * y)) * d,
  DlpipeSquareGrad: (d, x) => d * f(x * 2),
};

/** The reference of an elementwise fused gradient. */
export function activationGradJs(
  name: ActivationGradName,
  dy: ArrayLike<number>,
  v: ArrayLike<number>,
  alpha = 0,
): Float32Array {
  const g = ELEMENT[name];
  const out = new Float32Array(dy.length);
  for (let i = 0; i < out.length; i++) out[i] = g(dy[i]!, v[i]!, alpha);
  return out;
}

/** The reference of the softmax gradient over rows of `cols`: dy·y − sum(dy·y)·y. */
export function softmaxGradJs(dy: ArrayLike<number>, y: ArrayLike<number>, cols: number): Float32Array {
  const out = new Float32Array(dy.length);
  for (let r = 0; r < dy.length; r += cols) {
    let s = 0;
    for (let c = r; c < r + cols; c++) s += f(dy[c]! * y[c]!);
    const sf = f(s);
    for (let c = r; c < r + cols; c++) out[c] = f(dy[c]! * y[c]!) - f(sf * y[c]!);
  }
  return out;
}

type Make = (args: KernelArgs, shape: number[], values: Float32Array) => TensorInfo;
type Read = (args: KernelArgs, t: TensorInfo) => ArrayLike<number>;

const read: Read = (args, t) =>
  (args.backend as { readSync(id: tf.DataId): unknown }).readSync(t.dataId) as ArrayLike<number>;

/** Output makers of the backends with a JS version of the kernels. */
const MAKERS: Record<string, Make> = {
  cpu: (args, shape, v) => (args.backend as MathBackendCPU).makeTensorInfo(shape, 'float32', v),
};

function jsKernels(make: Make): Record<string, tf.KernelFunc> {
  const kernels: Record<string, tf.KernelFunc> = {};
  for (const [name, { saved }] of Object.entries(ACTIVATION_GRADS)) {
    kernels[name] = (args) => {
      const inputs = args.inputs as Record<string, TensorInfo>;
      const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
      const v = inputs[saved]!;
      const out = activationGradJs(name as ActivationGradName, read(args, inputs.dy!), read(args, v), alpha);
      return make(args, v.shape.slice(), out);
    };
  }
  kernels[SOFTMAX_GRAD] = (args) => {
    const { dy, y } = args.inputs as Record<string, TensorInfo>;
    const cols = y!.shape[y!.shape.length - 1] ?? 1;
    return make(args, y!.shape.slice(), softmaxGradJs(read(args, dy!), read(args, y!), cols));
  };
  return kernels;
}

/** The JS kernels by backend name ('cpu'). */
export function jsActivationGradKernels(): Record<string, Record<string, tf.KernelFunc>> {
  return Object.fromEntries(Object.entries(MAKERS).map(([backend, make]) => [backend, jsKernels(make)]));
}

/** The native kernels; any input that is not float32 storage takes the JS path. */
export function nativeActivationGradKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const js = jsKernels(MAKERS.cpu!);
  const kernels: Record<string, tf.KernelFunc> = {};
  for (const [name, { code, saved }] of Object.entries(ACTIVATION_GRADS)) {
    kernels[name] = (args) => {
      const backend = args.backend as MathBackendCPU;
      const inputs = args.inputs as Record<string, TensorInfo>;
      const dv = f32(backend, inputs.dy!);
      const vv = f32(backend, inputs[saved]!);
      if (!dv || !vv || dv.length !== vv.length) {
        noteFallback(whyNotF32(inputs.dy, inputs[saved]));
        return js[name]!(args);
      }
      const out = outArray(backend, vv.length);
      const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
      if (out.length > 0) addon.activationGrad(code, dv, vv, out, alpha);
      return output(backend, inputs[saved]!.shape.slice(), out);
    };
  }
  kernels[SOFTMAX_GRAD] = (args) => {
    const backend = args.backend as MathBackendCPU;
    const { dy, y } = args.inputs as Record<string, TensorInfo>;
    const dv = f32(backend, dy!);
    const yv = f32(backend, y!);
    const cols = y!.shape[y!.shape.length - 1] ?? 1;
    if (!dv || !yv || dv.length !== yv.length || cols === 0) {
      noteFallback(cols === 0 ? 'empty' : whyNotF32(dy, y));
      return js[SOFTMAX_GRAD]!(args);
    }
    const out = outArray(backend, yv.length);
    if (out.length > 0) addon.softmaxGrad(dv, yv, out, out.length / cols, cols);
    return output(backend, y!.shape.slice(), out);
  };
  return kernels;
}
