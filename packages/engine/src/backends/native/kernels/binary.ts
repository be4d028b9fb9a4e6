/**
 * Elementwise binary kernels with numpy broadcasting on the addon (native/src/binary.cc): the
 * arithmetic (float32 and int32), comparisons (bool out), logical ops, Prelu, Select and AddN.
 * Mixed dtypes, complex and string tensors, and Select with a condition of another shape run
 * the cpu kernels.
 *
 *   tf.mul(x, tf.ones([64]))   // [N,H,W,64] × [64] → addon.binary(Multiply, …) in one pass
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { inputsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { LayoutArray, NativeAddon } from '../addon.js';
import { alloc, raw } from './layout-util.js';
import { BINARY_CODES } from './math-codes.js';
import {
  f32,
  fallback,
  type KernelArgs,
  outArray,
  output,
  sizeOf,
  type TensorInfo,
  whyNotF32,
} from './util.js';

interface BinarySpec {
  /** Input dtypes (both inputs the same) the native loop accepts. */
  accepts: readonly tf.DataType[];
  /** Output dtype; the inputs' when absent. */
  out?: tf.DataType;
}

const ARITH: BinarySpec = { accepts: ['float32', 'int32'] };
const FLOAT: BinarySpec = { accepts: ['float32'] };
const COMPARE: BinarySpec = { accepts: ['float32', 'int32', 'bool'], out: 'bool' };
const LOGICAL: BinarySpec = { accepts: ['bool'], out: 'bool' };

/** What each kernel accepts natively (tfjs's cpu kernels give the same output dtypes). */
const SPECS: Record<string, BinarySpec> = {
  Add: ARITH,
  Sub: ARITH,
  Multiply: ARITH,
  RealDiv: FLOAT,
  Maximum: ARITH,
  Minimum: ARITH,
  SquaredDifference: ARITH,
  Pow: FLOAT,
  FloorDiv: { accepts: ['float32', 'int32'], out: 'int32' },
  Greater: COMPARE,
  GreaterEqual: COMPARE,
  Less: COMPARE,
  LessEqual: COMPARE,
  Equal: COMPARE,
  NotEqual: COMPARE,
  LogicalAnd: LOGICAL,
  LogicalOr: LOGICAL,
  Prelu: FLOAT,
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function binaryKernel(addon: NativeAddon, name: string, spec: BinarySpec, code: number): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as MathBackendCPU;
    const inputs = args.inputs as Record<string, TensorInfo>;
    const a = name === 'Prelu' ? inputs.x! : inputs.a!;
    const b = name === 'Prelu' ? inputs.alpha! : inputs.b!;
    if (a.dtype !== b.dtype || !spec.accepts.includes(a.dtype)) return fallback(name, args, 'dtype');
    const av = raw(backend, a);
    const bv = raw(backend, b);
    if (!av || !bv) return fallback(name, args, 'storage');
    const outShape = sameShape(a.shape, b.shape)
      ? a.shape.slice()
      : tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const dtype = spec.out ?? a.dtype;
    const out = alloc(dtype, sizeOf(outShape), { backend, contents: 'stale' });
    if (out.length > 0) addon.binary(code, av, a.shape, bv, b.shape, out, outShape);
    return backend.makeTensorInfo(outShape, dtype, out);
  };
}

/** Select (tf.where): the op broadcasts all three inputs to one shape before the kernel. */
function select(addon: NativeAddon): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { condition, t, e } = args.inputs as Record<string, TensorInfo>;
    const c = raw(backend, condition!);
    const tv = raw(backend, t!);
    const ev = raw(backend, e!);
    const same = sameShape(condition!.shape, t!.shape) && sameShape(t!.shape, e!.shape);
    if (!(c instanceof Uint8Array) || !tv || !ev || t!.dtype !== e!.dtype)
      return fallback('Select', args, 'dtype');
    if (!same) return fallback('Select', args, 'broadcast');
    const out: LayoutArray = alloc(t!.dtype, tv.length, { backend, contents: 'stale' });
    if (out.length > 0) addon.select(c, tv, ev, out);
    return backend.makeTensorInfo(t!.shape.slice(), t!.dtype, out);
  };
}

/** AddN of float32 tensors of one shape. */
function addN(addon: NativeAddon): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const xs = inputsOf<TensorInfo[]>(args.inputs);
    const first = xs[0];
    const vals = xs.map((x) => f32(backend, x));
    if (!first || vals.some((v) => !v)) return fallback('AddN', args, whyNotF32(...xs));
    if (xs.some((x) => !sameShape(x.shape, first.shape))) return fallback('AddN', args, 'broadcast');
    const out = outArray(backend, sizeOf(first.shape));
    if (out.length > 0) addon.addN(vals as Float32Array[], out);
    return output(backend, first.shape.slice(), out);
  };
}

export function binaryKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const kernels: Record<string, tf.KernelFunc> = { Select: select(addon), AddN: addN(addon) };
  for (const [name, spec] of Object.entries(SPECS)) {
    kernels[name] = binaryKernel(addon, name, spec, BINARY_CODES[name]!);
  }
  return kernels;
}
