/**
 * Native fused optimizer updates (native/src/optim.cc): DlpipeAdamUpdate, DlpipeSgdUpdate, and
 * gradient clipping's two passes over every gradient at once: DlpipeSumSquares (the squared
 * global norm) and DlpipeScaleMany (every gradient times one factor).
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { attrsOf } from '../../../kernel-args.js';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamParams } from '../../../optim/adam-update.js';
import { SGD_UPDATE, type SgdUpdateAttrs, sgdParams } from '../../../optim/sgd-update.js';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { SCALE_MANY, SUM_SQUARES } from './fused-names.js';
import { f32, fallback, outArray, output, type TensorInfo, whyNotF32 } from './util.js';

/** The float32 storage of every input, in the order given, or undefined when one is not float32. */
function allF32(backend: MathBackendCPU, inputs: Record<string, TensorInfo>) {
  const infos = Object.values(inputs);
  const vals = infos.map((t) => f32(backend, t));
  return vals.every((v) => v !== undefined) ? { infos, vals: vals as Float32Array[] } : undefined;
}

export function optimKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  return {
    [SUM_SQUARES]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const all = allF32(backend, args.inputs as Record<string, TensorInfo>);
      if (!all) throw new InvalidArgumentError(`${SUM_SQUARES}: every input must be float32`);
      return output(backend, [], Float32Array.of(addon.sumSquares(all.vals)));
    },
    [SCALE_MANY]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const all = allF32(backend, args.inputs as Record<string, TensorInfo>);
      if (!all) throw new InvalidArgumentError(`${SCALE_MANY}: every input must be float32`);
      const outs = all.vals.map((v) => outArray(backend, v.length));
      addon.scaleMany(all.vals, outs, (args.attrs as { scale: number }).scale);
      return outs.map((o, i) => output(backend, [...all.infos[i]!.shape], o));
    },
    [ADAM_UPDATE]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { w, g, m, v } = args.inputs as Record<string, TensorInfo>;
      const vals = [w!, g!, m!, v!].map((t) => f32(backend, t));
      if (vals.some((x) => !x)) return fallback(ADAM_UPDATE, args, whyNotF32(w, g, m, v));
      if (vals.some((x) => x!.length !== vals[0]!.length)) return fallback(ADAM_UPDATE, args, 'shape');
      const n = vals[0]!.length;
      const outs = [outArray(backend, n), outArray(backend, n), outArray(backend, n)];
      const [wv, gv, mv, vv] = vals as Float32Array[];
      addon.adamUpdate(
        wv!,
        gv!,
        mv!,
        vv!,
        outs[0]!,
        outs[1]!,
        outs[2]!,
        adamParams(attrsOf<AdamUpdateAttrs>(args.attrs)),
      );
      return outs.map((o) => output(backend, [...w!.shape], o));
    },
    [SGD_UPDATE]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { w, g, buf } = args.inputs as Record<string, TensorInfo | undefined>;
      const wv = f32(backend, w!);
      const gv = f32(backend, g!);
      const bv = buf ? f32(backend, buf) : null;
      if (!wv || !gv || bv === undefined) return fallback(SGD_UPDATE, args, whyNotF32(w, g, buf));
      if (gv.length !== wv.length || (bv && bv.length !== wv.length))
        return fallback(SGD_UPDATE, args, 'shape');
      const w2 = outArray(backend, wv.length);
      const b2 = bv ? outArray(backend, wv.length) : null;
      addon.sgdUpdate(wv, gv, bv, w2, b2, sgdParams(attrsOf<SgdUpdateAttrs>(args.attrs)));
      const outs = [output(backend, [...w!.shape], w2)];
      if (b2) outs.push(output(backend, [...w!.shape], b2));
      return outs;
    },
  };
}
