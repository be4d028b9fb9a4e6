/**
 * Unary float32 kernels (activations and math), EluGrad and Cast on the addon
 * (native/src/eltwise.cc). int32 inputs (where tfjs keeps int32 outputs) and other dtypes run the
 * cpu kernels; Cast converts float32 / int32 / bool natively in every direction.
 *
 *   tf.sigmoid(x)          // → addon.unary(Sigmoid, x, out, 0): oneDNN's logistic
 *   tf.cast(x, 'int32')    // → addon.cast(x, out): truncation and wrap as Int32Array.from
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { alloc, raw, whyNotRaw } from './layout-util.js';
import { GRAD_CODES, UNARY_CODES } from './math-codes.js';
import { f32, fallback, type KernelArgs, outArray, output, type TensorInfo, whyNotF32 } from './util.js';

/** The float alpha attribute of Step and LeakyRelu (tfjs's defaults when absent). */
function alphaOf(name: string, attrs: KernelArgs['attrs']): number {
  const alpha = (attrs as { alpha?: number } | undefined)?.alpha;
  if (typeof alpha === 'number') return alpha;
  return name === 'LeakyRelu' ? 0.2 : 0;
}

function unaryKernel(addon: NativeAddon, name: string, code: number): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const x = (args.inputs as { x: TensorInfo }).x;
    const xv = f32(backend, x);
    if (!xv) return fallback(name, args, whyNotF32(x));
    const out = outArray(backend, xv.length);
    if (out.length > 0) addon.unary(code, xv, out, alphaOf(name, args.attrs));
    return output(backend, x.shape.slice(), out);
  };
}

/** EluGrad(dy, y): tfjs's own gradient kernel of Elu. */
function eluGrad(addon: NativeAddon): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
    const dv = f32(backend, dy);
    const yv = f32(backend, y);
    if (!dv || !yv || dv.length !== yv.length) return fallback('EluGrad', args, whyNotF32(dy, y));
    const out = outArray(backend, yv.length);
    if (out.length > 0) addon.activationGrad(GRAD_CODES.elu, dv, yv, out, 0);
    return output(backend, y.shape.slice(), out);
  };
}

const CASTABLE: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

/**
 * Cast between float32, int32 and bool. Unlike the cpu kernel, a widening cast (int32 or bool to
 * float32, bool to int32) copies into storage of the target type, so that native kernels
 * downstream read it instead of falling back; int32 values beyond ±2^24, which float32 cannot
 * hold but the cpu backend's shared Int32Array does, keep the cpu kernel's sharing.
 */
function cast(addon: NativeAddon): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const x = (args.inputs as { x: TensorInfo }).x;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    let xv = raw(backend, x);
    if (dtype === x.dtype) return fallback('Cast', args, 'no-copy');
    if (!CASTABLE.includes(dtype)) return fallback('Cast', args, 'dtype');
    const stored = backend.data.get(x.dataId)?.values;
    if (!xv && x.dtype === 'int32' && stored instanceof Float32Array) {
      // tfjs's oneHot keeps its int32 values in a Float32Array: exact small integers, so the
      // float32 cast is a copy, and the bool cast (x ≠ 0) reads them as floats
      if (dtype === 'float32') return backend.makeTensorInfo(x.shape.slice(), 'float32', stored.slice());
      xv = stored;
    }
    if (!xv) return fallback('Cast', args, whyNotRaw(x));
    const out = alloc(dtype, xv.length, { backend, contents: 'stale' });
    if (out.length > 0 && !addon.cast(xv, out)) return fallback('Cast', args, 'no-copy'); // int32 beyond ±2^24: share, as cpu
    return backend.makeTensorInfo(x.shape.slice(), dtype, out);
  };
}

export function eltwiseKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const kernels: Record<string, tf.KernelFunc> = { EluGrad: eluGrad(addon), Cast: cast(addon) };
  for (const [name, code] of Object.entries(UNARY_CODES)) kernels[name] = unaryKernel(addon, name, code);
  return kernels;
}
