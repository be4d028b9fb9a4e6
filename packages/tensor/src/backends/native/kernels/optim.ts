/** Native fused optimizer updates (native/src/optim.cc): DlpipeAdamUpdate. */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamParams } from '../../../optim/adam-update.js';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { f32, fallback, output, type TensorInfo } from './util.js';

export function optimKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  return {
    [ADAM_UPDATE]: (args) => {
      const backend = args.backend as MathBackendCPU;
      const { w, g, m, v } = args.inputs as Record<string, TensorInfo>;
      const vals = [w!, g!, m!, v!].map((t) => f32(backend, t));
      if (vals.some((x) => !x || x.length !== vals[0]!.length)) return fallback(ADAM_UPDATE, args);
      const n = vals[0]!.length;
      const outs = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      const [wv, gv, mv, vv] = vals as Float32Array[];
      addon.adamUpdate(
        wv!,
        gv!,
        mv!,
        vv!,
        outs[0]!,
        outs[1]!,
        outs[2]!,
        adamParams(args.attrs as unknown as AdamUpdateAttrs),
      );
      return outs.map((o) => output(backend, [...w!.shape], o));
    },
  };
}
