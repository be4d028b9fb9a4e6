/**
 * The `native` backend: tfjs's cpu backend storage (one contiguous typed array per tensor, float32
 * outputs reused from a pool: native-backend.ts) with kernels replaced by dlpipe's oneDNN addon wherever one exists; every other kernel is the cpu
 * backend's own. Gradients need nothing extra: tfjs gradients call the same kernels. Every
 * dispatch is counted by path (native, fallback, cpu): `dispatchCounts()` in dispatch-counts.ts.
 */
import * as tf from '../../tf.js';
import { loadNativeAddon, type NativeAddon } from './addon.js';
import { countedCpu, countedNative } from './dispatch-counts.js';
import { batchNormKernels } from './kernels/batchnorm.js';
import { batchNormTrainKernels } from './kernels/batchnorm-train.js';
import { convKernels } from './kernels/conv.js';
import { dropoutKernels } from './kernels/dropout.js';
import { gatherKernels } from './kernels/gather.js';
import { gruSequenceKernels } from './kernels/gru-sequence.js';
import { layerNormKernels } from './kernels/layer-norm.js';
import { layoutKernels } from './kernels/layout.js';
import { lstmSequenceKernels } from './kernels/lstm-sequence.js';
import { mathKernels } from './kernels/math.js';
import { matMulKernels } from './kernels/matmul.js';
import { optimKernels } from './kernels/optim.js';
import { poolKernels } from './kernels/pool.js';
import { sliceKernels } from './kernels/slice.js';
import { NativeBackend } from './native-backend.js';

/** Kernel groups by file, each mapping kernel names to native implementations. */
const KERNEL_GROUPS: Array<(addon: NativeAddon) => Record<string, tf.KernelFunc>> = [
  matMulKernels,
  convKernels,
  optimKernels,
  poolKernels,
  batchNormKernels,
  batchNormTrainKernels,
  gruSequenceKernels,
  lstmSequenceKernels,
  layerNormKernels,
  dropoutKernels,
  layoutKernels,
  sliceKernels,
  gatherKernels,
  mathKernels,
];

/** The kernels the native backend overrides (for tests and `describeBackend`). */
export function nativeKernelNames(addon: NativeAddon): string[] {
  return KERNEL_GROUPS.flatMap((g) => Object.keys(g(addon)));
}

/** Registers the `native` backend with tfjs (idempotent); throws when the addon cannot load. */
export function registerNativeBackend(): NativeAddon {
  const addon = loadNativeAddon();
  if (tf.findBackendFactory('native')) return addon;
  const overrides: Record<string, tf.KernelFunc> = Object.assign({}, ...KERNEL_GROUPS.map((g) => g(addon)));
  tf.registerBackend('native', () => new NativeBackend(), 3);
  const cpuKernels = tf.getKernelsForBackend('cpu');
  // Every kernel is counted (dispatch-counts.ts): native overrides by path, the rest as cpu.
  for (const k of cpuKernels) {
    const native = overrides[k.kernelName];
    const kernelFunc = native ? countedNative(k.kernelName, native) : countedCpu(k.kernelName, k.kernelFunc);
    tf.registerKernel({ ...k, backendName: 'native', kernelFunc });
  }
  // dlpipe's own kernels (fused gradients, optimizer updates) that the cpu backend lacks.
  const cpuNames = new Set(cpuKernels.map((k) => k.kernelName));
  for (const [kernelName, kernelFunc] of Object.entries(overrides)) {
    if (!cpuNames.has(kernelName)) {
      tf.registerKernel({
        kernelName,
        backendName: 'native',
        kernelFunc: countedNative(kernelName, kernelFunc),
      });
    }
  }
  return addon;
}
