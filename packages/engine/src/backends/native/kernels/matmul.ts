/**
 * BatchMatMul and _FusedMatMul on oneDNN: batch dims equal, or one side's batch of 1 broadcast;
 * transposes handled as strides. Other cases (general batch broadcasting, prelu, odd biases) run
 * the cpu kernel.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import type { FallbackReason } from '../dispatch-counts.js';
import {
  ACTIVATION_CODES,
  f32,
  fallback,
  type KernelArgs,
  outArray,
  output,
  sizeOf,
  type TensorInfo,
  whyNotF32,
  zeroArray,
} from './util.js';

interface MatMulShape {
  outShape: number[];
  batchA: number;
  batchB: number;
  m: number;
  k: number;
  n: number;
}

function matMulShape(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): MatMulShape | FallbackReason {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = tA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = tA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = tB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = tB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return 'tfjs-error'; // let the cpu kernel raise tfjs's own error
  const bshA = a.shape.slice(0, -2);
  const bshB = b.shape.slice(0, -2);
  const batchA = sizeOf(bshA);
  const batchB = sizeOf(bshB);
  const sameBatch = bshA.length === bshB.length && bshA.every((d, i) => d === bshB[i]);
  if (!sameBatch && batchA !== 1 && batchB !== 1) return 'broadcast';
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(bshA, bshB);
  return { outShape: [...batchShape, m, n], batchA, batchB, m, k, n };
}

export function matMulKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const run = (args: KernelArgs, name: string, bias: TensorInfo | undefined, act: string, alpha: number) => {
    const backend = args.backend as MathBackendCPU;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const av = f32(backend, a);
    const bv = f32(backend, b);
    const s = matMulShape(a, b, transposeA, transposeB);
    const code = ACTIVATION_CODES[act];
    const biasV = bias ? f32(backend, bias) : null;
    if (!av || !bv || biasV === undefined) return fallback(name, args, whyNotF32(a, b, bias));
    if (typeof s === 'string') return fallback(name, args, s);
    if (code === undefined || (biasV && biasV.length !== s.n)) return fallback(name, args, 'attr');
    const out = s.k > 0 ? outArray(backend, sizeOf(s.outShape)) : zeroArray(backend, sizeOf(s.outShape));
    if (out.length > 0 && s.k > 0) {
      addon.batchMatMul(
        av,
        bv,
        out,
        s.batchA,
        s.batchB,
        s.m,
        s.k,
        s.n,
        transposeA,
        transposeB,
        biasV,
        code,
        alpha,
      );
    } else if (out.length > 0 && biasV) {
      return fallback(name, args, 'empty'); // K = 0 with a bias: rare; keep tfjs's semantics
    }
    return output(backend, s.outShape, out);
  };
  return {
    BatchMatMul: (args) => run(args, 'BatchMatMul', undefined, 'linear', 0),
    _FusedMatMul: (args) => {
      const { bias, preluActivationWeights } = args.inputs as {
        bias?: TensorInfo;
        preluActivationWeights?: TensorInfo;
      };
      const { activation, leakyreluAlpha } = args.attrs as { activation?: string; leakyreluAlpha?: number };
      if (preluActivationWeights) return fallback('_FusedMatMul', args, 'attr');
      return run(args, '_FusedMatMul', bias, activation ?? 'linear', leakyreluAlpha ?? 0.2);
    },
  };
}
