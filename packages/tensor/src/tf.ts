/**
 * The TensorFlow.js API, the only entry to it in dlpipe: core ops, layers and the graph-model
 * converter, all on one engine. Import it as `import { tf } from '@dlpipe/tensor'`.
 *
 * The backends themselves are chosen in `backend.ts`; importing this file registers only `cpu`.
 */
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-converter';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

import type { Tensor } from '@tensorflow/tfjs-core';

/** A tensor with a name (weights lists, optimizer state), as tfjs-core uses internally. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}
