/**
 * The TensorFlow.js API, the only entry to it in dlpipe: core ops (with chained ops such as
 * `x.add(y)`), layers, the graph-model converter and tf.data, all on one engine. Import it as
 * `import { tf } from '@dlpipe/tensor'` (which re-exports it).
 *
 * `moments` and `batchNorm` are dlpipe's: used together as batch norm, they run the fused
 * training kernels on the native backend (fusion/moments-batch-norm.ts); `setOpFusion(false)`
 * turns that off. The backend is chosen in `backend.ts`; the union package registers `cpu` (and a `webgl`
 * backend that never initializes in Node, which dlpipe never selects).
 */
import { env, type Tensor } from '@tensorflow/tfjs';

export * from '@tensorflow/tfjs';
export { dropout } from './fusion/dropout.js';
// Op-level fusions: these names shadow tfjs's own (same signatures; see each module's header).
export {
  batchNorm,
  batchNorm2d,
  batchNorm3d,
  batchNorm4d,
  moments,
  opFusionEnabled,
  setOpFusion,
} from './fusion/moments-batch-norm.js';

// tfjs-layers' GRU and LSTM run as the native sequence kernels where they can (fusion/recurrent-layers.ts).
import './fusion/recurrent-layers.js';
// tf.fused.conv2d (tfjs-layers' Conv2D with a bias) computes only the gradients backprop needs.
import './fusion/fused-conv-grad.js';
// Backprop frees each op's saved tensors and output gradients once its backward has run.
import './fusion/backprop-release.js';
// Saved tensors are new handles on the same storage, not an Identity kernel and a tape node each.
import './fusion/saved-tensors.js';

// Production mode: no debug checks and no console banners ("install our node backend") from tfjs;
// dlpipe says itself which backend it uses and why (backend.ts).
env().set('PROD', true);

/** A tensor with a name (weights lists, optimizer state), as tfjs-core uses internally. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}
